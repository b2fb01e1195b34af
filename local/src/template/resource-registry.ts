import type { PseudoParameters, ResourceValues } from './intrinsics.ts';
import type { CfnTemplate } from './template-types.ts';

/** What a resource resolves to locally: its `Ref` value and any `Fn::GetAtt` attributes. */
export interface PhysicalResource {
  ref: string;
  attributes?: Record<string, unknown>;
}

type Defaults = (name: string, pseudo: PseudoParameters, properties: Record<string, unknown>) => PhysicalResource;

/** The one published version every local function has (`!GetAtt Fn.Version.Version`). */
export const LOCAL_FUNCTION_VERSION = '1';

const arn = (pseudo: PseudoParameters, service: string, resource: string, region = pseudo.region): string =>
  `arn:${pseudo.partition}:${service}:${region}:${pseudo.accountId}:${resource}`;

/**
 * Local stand-ins for what CloudFormation would return, per resource type, for resources the
 * local cloud has not registered a real value for. Names are the logical ids (readable in
 * DynamoDB Local and logs); ARNs have the real shape so code that parses them keeps working.
 */
const DEFAULTS: Record<string, Defaults> = {
  'AWS::DynamoDB::Table': (name, pseudo) => {
    const tableArn = arn(pseudo, 'dynamodb', `table/${name}`);
    return { ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/1970-01-01T00:00:00.000` } };
  },
  'AWS::Cognito::UserPool': (name, pseudo) => {
    const id = `${pseudo.region}_${name}`;
    return userPoolValues(id, pseudo);
  },
  // With AutoPublishAlias, SAM's `!Ref Fn.Alias` is the alias ARN and `!Ref Fn.Version` the
  // published version's ARN (`!GetAtt Fn.Version.Version` its number). Locally every function
  // has one version, 1, which is the code on disk (sam-references.ts).
  'AWS::Serverless::Function': (name, pseudo, properties) => {
    const functionArn = arn(pseudo, 'lambda', `function:${name}`);
    const alias = properties.AutoPublishAlias;
    return {
      ref: name,
      attributes: {
        Arn: functionArn,
        ...(typeof alias === 'string' && {
          Alias: `${functionArn}:${alias}`,
          Version: `${functionArn}:${LOCAL_FUNCTION_VERSION}`,
          'Version.Version': LOCAL_FUNCTION_VERSION,
        }),
      },
    };
  },
  'AWS::SQS::Queue': (name, pseudo) => ({
    ref: `https://sqs.${pseudo.region}.${pseudo.urlSuffix}/${pseudo.accountId}/${name}`,
    attributes: { Arn: arn(pseudo, 'sqs', name), QueueName: name, QueueUrl: `https://sqs.${pseudo.region}.${pseudo.urlSuffix}/${pseudo.accountId}/${name}` },
  }),
  'AWS::SNS::Topic': (name, pseudo) => {
    const topicArn = arn(pseudo, 'sns', name);
    return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
  },
  'AWS::Serverless::StateMachine': (name, pseudo) => {
    const machineArn = arn(pseudo, 'states', `stateMachine:${name}`);
    return { ref: machineArn, attributes: { Arn: machineArn, Name: name } };
  },
  'AWS::Serverless::Api': (name) => ({ ref: name.toLowerCase(), attributes: { RootResourceId: 'root' } }),
  'AWS::Serverless::LayerVersion': (name, pseudo) => ({ ref: arn(pseudo, 'lambda', `layer:${name}:1`) }),
  'AWS::Logs::LogGroup': (name, pseudo) => {
    const groupName = `/aws/local/${name}`;
    return { ref: groupName, attributes: { Arn: arn(pseudo, 'logs', `log-group:${groupName}:*`) } };
  },
  'AWS::IAM::Role': (name, pseudo) => ({
    ref: name,
    attributes: { Arn: arn(pseudo, 'iam', `role/${name}`, ''), RoleId: name },
  }),
  // A key's id is a UUID in AWS; the logical id stands in for it. `Ref` is the id, `Arn` the key ARN.
  'AWS::KMS::Key': (name, pseudo) => ({
    ref: name,
    attributes: { Arn: arn(pseudo, 'kms', `key/${name}`), KeyId: name },
  }),
  'AWS::Events::EventBus': (name, pseudo) => ({
    ref: name,
    attributes: { Arn: arn(pseudo, 'events', `event-bus/${name}`), Name: name },
  }),
};
// What the SAM transform makes of AutoPublishAlias (for templates read after the transform):
// `<Function>Version<hash>` and `<Function>Alias<name>`, whose `Ref` is their qualified ARN.
const functionOf = (properties: Record<string, unknown>, fallback: string): string => {
  const name = properties.FunctionName;
  if (typeof name === 'string') return name;
  const ref = (name as { Ref?: unknown } | undefined)?.Ref;
  return typeof ref === 'string' ? ref : fallback;
};
DEFAULTS['AWS::Lambda::Alias'] = (name, pseudo, properties) => ({
  ref: arn(pseudo, 'lambda', `function:${functionOf(properties, name)}:${String(properties.Name ?? name)}`),
});
DEFAULTS['AWS::Lambda::Version'] = (name, pseudo, properties) => ({
  ref: arn(pseudo, 'lambda', `function:${functionOf(properties, name)}:${LOCAL_FUNCTION_VERSION}`),
  attributes: { Version: LOCAL_FUNCTION_VERSION },
});
DEFAULTS['AWS::Lambda::Function'] = DEFAULTS['AWS::Serverless::Function']!;
DEFAULTS['AWS::StepFunctions::StateMachine'] = DEFAULTS['AWS::Serverless::StateMachine']!;
DEFAULTS['AWS::ApiGateway::RestApi'] = DEFAULTS['AWS::Serverless::Api']!;
DEFAULTS['AWS::Serverless::SimpleTable'] = DEFAULTS['AWS::DynamoDB::Table']!;

export function userPoolValues(userPoolId: string, pseudo: PseudoParameters): PhysicalResource {
  const providerName = `cognito-idp.${pseudo.region}.${pseudo.urlSuffix}/${userPoolId}`;
  return {
    ref: userPoolId,
    attributes: {
      Arn: arn(pseudo, 'cognito-idp', `userpool/${userPoolId}`),
      ProviderName: providerName,
      ProviderURL: `https://${providerName}`,
      UserPoolId: userPoolId,
    },
  };
}

/**
 * The local physical values of a template's resources. Services register what they really
 * created (cognito-local's pool id, a queue's local URL); everything else gets a type-shaped
 * default, so any `!Ref`/`!GetAtt` in a function's environment resolves to something usable.
 */
export class ResourceRegistry implements ResourceValues {
  private readonly registered = new Map<string, PhysicalResource>();

  constructor(
    private readonly template: CfnTemplate,
    private readonly pseudo: PseudoParameters,
  ) {}

  register(logicalId: string, resource: PhysicalResource): void {
    this.registered.set(logicalId, resource);
  }

  ref(logicalId: string): string {
    return this.lookup(logicalId).ref;
  }

  hasGenerated(logicalId: string): boolean {
    return this.template.Resources[logicalId] === undefined && this.registered.has(logicalId);
  }

  getAtt(logicalId: string, attribute: string): unknown {
    const value = this.lookup(logicalId).attributes?.[attribute];
    // An attribute nothing local knows about still resolves, to a value that says where it came
    // from, so one unusual `!GetAtt` does not stop the whole local cloud from starting.
    return value ?? `local:${logicalId}.${attribute}`;
  }

  private lookup(logicalId: string): PhysicalResource {
    const registered = this.registered.get(logicalId);
    if (registered !== undefined) return registered;
    const resource = this.template.Resources[logicalId];
    const defaults = DEFAULTS[resource?.Type ?? ''];
    if (defaults !== undefined) return defaults(logicalId, this.pseudo, resource?.Properties ?? {});
    return { ref: logicalId, attributes: { Arn: arn(this.pseudo, 'local', logicalId) } };
  }
}
