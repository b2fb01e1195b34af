import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { type LoadedTemplate, loadTemplate, templateFromYaml } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { TemplateError } from '../template/template-types.ts';
import { readStateMachineDefinitions, registerStateMachines, startLocalStepFunctions } from './from-template.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

function inlineTemplate(resources: string): LoadedTemplate {
  const text = `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n${resources}`;
  return { template: templateFromYaml(text), path: `${fixtures}inline.yaml`, directory: fixtures };
}

function resolverFor(loaded: LoadedTemplate) {
  const registry = new ResourceRegistry(loaded.template, DEFAULT_PSEUDO);
  return { registry, resolver: createIntrinsicResolver({ template: loaded.template, resources: registry }) };
}

async function read(loaded: LoadedTemplate, warnings: string[] = []) {
  return readStateMachineDefinitions(loaded, resolverFor(loaded).resolver, { onWarning: (message) => warnings.push(message) });
}

const NOTIFY = `
  NotifyFunction:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: none, Handler: index.handler, Runtime: nodejs24.x }`;

describe('readStateMachineDefinitions', () => {
  it('reads DefinitionUri relative to the template and applies DefinitionSubstitutions', async () => {
    const [machine, ...others] = await read(await loadTemplate(`${fixtures}template.yaml`));
    expect(others).toEqual([]);
    expect(machine).toMatchObject({
      logicalId: 'FulfilmentStateMachine',
      name: 'FulfilmentStateMachine',
      arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:FulfilmentStateMachine',
      type: 'STANDARD',
      source: 'fulfilment.asl.json',
    });
    const definition = JSON.parse(machine?.definition ?? '{}');
    expect(definition.States.ReserveStock.Parameters.FunctionName).toBe('arn:aws:lambda:us-east-1:000000000000:function:ReserveStockFunction');
    expect(definition.States.RecordFulfilment.Parameters.TableName).toBe('OrdersTable');
    expect(machine?.definition).not.toContain('${');
  });

  it('reads a YAML DefinitionUri and an inline Definition with intrinsics', async () => {
    const machines = await read(
      inlineTemplate(`${NOTIFY}
  FromYaml:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: cooldown.asl.yaml
      DefinitionSubstitutions:
        NotifyFunctionArn: !GetAtt NotifyFunction.Arn
  Inline:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Notify
        States:
          Notify:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName: !GetAtt NotifyFunction.Arn
              Payload: { stack: !Ref AWS::StackName, greeting: '\${Greeting}' }
            End: true
      DefinitionSubstitutions:
        Greeting: hello
  Classic:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineName: classic
      RoleArn: arn:aws:iam::000000000000:role/Classic
      DefinitionString: !Sub '{"StartAt":"Done","States":{"Done":{"Type":"Pass","Result":"\${AWS::Region}","End":true}}}'`),
    );
    const [yaml, inline, classic] = machines.map((machine) => ({ ...machine, parsed: JSON.parse(machine.definition) }));
    expect(yaml?.parsed.States.Notify.Parameters.FunctionName).toBe('arn:aws:lambda:us-east-1:000000000000:function:NotifyFunction');
    expect(yaml?.source).toBe('cooldown.asl.yaml');
    expect(inline?.parsed.States.Notify.Parameters).toEqual({
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:NotifyFunction',
      Payload: { stack: 'local', greeting: 'hello' },
    });
    expect(inline?.source).toBe('inline');
    expect(classic).toMatchObject({ logicalId: 'Classic', roleArn: 'arn:aws:iam::000000000000:role/Classic' });
    expect(classic?.parsed.States.Done.Result).toBe('us-east-1');
  });

  it('fails loudly on an invalid definition, naming the resource, the file and the problem', async () => {
    const loaded = inlineTemplate(`
  Broken:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: invalid.asl.json`);
    const error = await read(loaded).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toMatch(/State machine Broken \(invalid\.asl\.json\) has an invalid definition:\n {2}- .*Ship/);
  });

  it('fails on what the local service cannot run and on placeholders nobody defines', async () => {
    const unsupported = inlineTemplate(`
  Queueing:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Send
        States:
          Send: { Type: Task, Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: q, MessageBody: m }, End: true }`);
    await expect(read(unsupported)).rejects.toThrow(/State machine Queueing \(inline\).*sqs:sendMessage is not a service integration the local Step Functions runs/s);

    const unresolved = inlineTemplate(`
  Typo:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: cooldown.asl.yaml
      DefinitionSubstitutions:
        NotifyFunctionARN: x`);
    await expect(read(unresolved)).rejects.toThrow('State machine Typo (cooldown.asl.yaml) uses ${NotifyFunctionArn}, which DefinitionSubstitutions does not define');
  });

  it('warns about what it runs differently: EXPRESS, and Events it does not emulate', async () => {
    const warnings: string[] = [];
    await read(
      inlineTemplate(`
  Fast:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      Definition: { StartAt: Done, States: { Done: { Type: Succeed } } }
      Events:
        Nightly: { Type: Schedule, Properties: { Schedule: rate(1 day) } }`),
      warnings,
    );
    expect(warnings).toEqual([expect.stringContaining('EXPRESS'), expect.stringContaining('Events (Nightly) are not emulated')]);
  });
});

describe('registerStateMachines', () => {
  it('gives !Ref and !GetAtt the name and ARN the local service uses', async () => {
    const loaded = inlineTemplate(`
  Named:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: fulfilment
      Definition: { StartAt: Done, States: { Done: { Type: Succeed } } }`);
    const { registry, resolver } = resolverFor(loaded);
    registerStateMachines(loaded.template, resolver, registry);
    expect(resolver.resolve({ Ref: 'Named' })).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:fulfilment');
    const [machine] = await readStateMachineDefinitions(loaded, resolver);
    expect(machine).toMatchObject({ name: 'fulfilment', arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:fulfilment' });
  });
});

describe('startLocalStepFunctions', () => {
  it('serves the template\'s state machines on 127.0.0.1 and stops cleanly', async () => {
    const loaded = await loadTemplate(`${fixtures}template.yaml`);
    const { resolver } = resolverFor(loaded);
    const running = await startLocalStepFunctions({
      template: loaded,
      resolver,
      invokeLambda: async () => ({ payload: null }),
      // Not contacted until a DynamoDB task runs.
      dynamoDbEndpoint: 'http://127.0.0.1:1',
    });
    const client = new SFNClient({ endpoint: running.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      expect(running.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { stateMachines } = await client.send(new ListStateMachinesCommand({}));
      expect(stateMachines?.map((machine) => machine.stateMachineArn)).toEqual([running.stateMachines[0]?.arn]);
    } finally {
      client.destroy();
      await running.stop();
    }
  });
});
