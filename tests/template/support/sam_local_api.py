"""`sam local start-api`, as far as it goes without Docker, from SAM CLI's own code.

    python sam_local_api.py routes TEMPLATE OVERRIDES_JSON
        Prints, as JSON, every route SAM CLI's API provider finds and the authorizer it puts in
        front of it (null when none): what `sam local start-api` would serve.

    python sam_local_api.py serve TEMPLATE OVERRIDES_JSON ENV_VARS_FILE PORT
        Serves the API on 127.0.0.1:PORT with SAM CLI's API Gateway emulation (LocalApigwService)
        and its Lambda runner (LocalLambdaRunner), wired as `sam local start-api` wires them
        (samcli/commands/local/cli_common/invoke_context.py, local_api_service.py). Only the
        container is replaced: NodeRuntime runs each function's built code in a Node 24 process
        on Lambda's file layout (the layers on NODE_PATH, the AWS SDK as the runtime provides
        it), with the environment SAM CLI resolved for it (template, Globals, --env-vars file).
        Everything else, from routing and the Lambda authorizer's event and policy check to the
        proxy event and response, is SAM CLI's.

OVERRIDES_JSON is what `--parameter-overrides` would give, e.g. {"LocalAuthorizer": "true"}.
"""

import atexit
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile

from samcli.commands.local.cli_common.invoke_context import InvokeContext
from samcli.commands.local.lib.local_lambda import LocalLambdaRunner
from samcli.lib.providers.api_provider import ApiProvider
from samcli.lib.providers.sam_function_provider import SamFunctionProvider
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider
from samcli.lib.utils.stream_writer import StreamWriter
from samcli.local.apigw.local_apigw_service import LocalApigwService

SUPPORT = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(SUPPORT, "..", "..", ".."))
NODE = os.path.join(ROOT, "node_modules", ".bin", "node")
HOOK = os.path.join(SUPPORT, "lambda-node-path-hook.mjs")
INVOKE = os.path.join(SUPPORT, "invoke-handler.mjs")
OUTCOME = "@@invoke@@"


def stacks_for(template, overrides):
    stacks, _ = SamLocalStackProvider.get_stacks(template, parameter_overrides=overrides)
    return stacks


def routes(template, overrides):
    api = ApiProvider(stacks_for(template, overrides), cwd=os.path.dirname(os.path.abspath(template))).api
    listed = []
    for route in api.routes:
        authorizer = route.authorizer_object
        listed.append(
            {
                "path": route.path,
                "methods": sorted(route.methods),
                "function": route.function_name,
                "authorizer": None
                if authorizer is None
                else {
                    "name": authorizer.authorizer_name,
                    "type": authorizer.type,
                    "function": authorizer.lambda_name,
                    "identitySources": [f"{type(source).__name__}:{source.identity_source}" for source in authorizer.identity_sources],
                },
            }
        )
    return sorted(listed, key=lambda route: (route["path"], route["methods"]))


class NodeRuntime:
    """Stands in for samcli.local.lambdafn.runtime.LambdaRuntime, which runs a container."""

    def __init__(self, cwd):
        self.cwd = cwd
        # What the nodejs24.x runtime provides besides the function and its layers: the AWS SDK,
        # and nothing else (the repository's @aws-sdk packages, linked). Named node_modules, as
        # lambda-node-path-hook.mjs resolves packages in NODE_PATH entries of that name.
        runtime_root = tempfile.mkdtemp(prefix="sam-local-runtime-")
        atexit.register(shutil.rmtree, runtime_root, ignore_errors=True)
        self.runtime_modules = os.path.join(runtime_root, "node_modules")
        os.mkdir(self.runtime_modules)
        os.symlink(os.path.join(ROOT, "node_modules", "@aws-sdk"), os.path.join(self.runtime_modules, "@aws-sdk"))

    def invoke(self, function_config, event, tenant_id=None, *, stdout=None, stderr=None, **_container_options):
        module, export = function_config.handler.rsplit(".", 1)
        if export != "handler":
            raise ValueError(f"{function_config.name}: invoke-handler.mjs calls the export `handler`, not {export}")
        layers = [os.path.join(self.cwd, layer.codeuri) for layer in function_config.layers]
        node_path = [os.path.join(layer, "nodejs", "node_modules") for layer in layers]
        node_path += [self.runtime_modules, function_config.code_abs_path]
        environment = {
            **function_config.env_vars.resolve(),
            "PATH": os.environ.get("PATH", ""),
            "NODE_PATH": os.pathsep.join(node_path),
        }
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as event_file:
            event_file.write(event)
        try:
            process = subprocess.run(
                [NODE, "--import", HOOK, INVOKE, os.path.join(function_config.code_abs_path, f"{module}.mjs"), event_file.name],
                cwd=function_config.code_abs_path,
                env=environment,
                capture_output=True,
                text=True,
                timeout=function_config.timeout + 20,
            )
        finally:
            os.unlink(event_file.name)
        logs, outcome = [], None
        for line in process.stdout.splitlines():
            if line.startswith(OUTCOME):
                outcome = json.loads(line[len(OUTCOME):])
            elif line:
                logs.append(line)
        if stderr is not None:
            stderr.write_str("".join(f"[{function_config.name}] {line}\n" for line in logs + process.stderr.splitlines()))
            stderr.flush()
        # The runtime interface emulator's answer: the handler's result, or the error document
        # the Lambda runtime writes when the handler throws.
        if outcome is not None and outcome["phase"] == "done":
            answer = outcome.get("result")
        else:
            error = (outcome or {}).get("error") or {"name": "Runtime.ExitError", "message": f"exit {process.returncode}"}
            answer = {"errorType": error.get("name") or "Error", "errorMessage": error.get("message")}
        stdout.write_str(json.dumps(answer))
        stdout.flush()


def serve(template, overrides, env_vars_file, port):
    stacks = stacks_for(template, overrides)
    cwd = os.path.dirname(os.path.abspath(template))
    runner = LocalLambdaRunner(
        local_runtime=NodeRuntime(cwd),
        function_provider=SamFunctionProvider(stacks),
        cwd=cwd,
        real_path=cwd,
        aws_region=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        # The --env-vars file, read as `sam local start-api` reads it.
        env_vars_values=InvokeContext._get_env_vars_value(env_vars_file),
    )
    service = LocalApigwService(
        api=ApiProvider(stacks, cwd=cwd).api,
        lambda_runner=runner,
        port=port,
        host="127.0.0.1",
        stderr=StreamWriter(sys.stderr, auto_flush=True),
    )
    service.create()
    service.run()


def main():
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    mode = sys.argv[1]
    if mode == "routes":
        json.dump(routes(sys.argv[2], json.loads(sys.argv[3])), sys.stdout, indent=1)
    elif mode == "serve":
        serve(sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
    else:
        raise SystemExit(f"unknown mode {mode!r}: use routes or serve")


if __name__ == "__main__":
    main()
