import { describe, expect, it } from 'vitest';
import { STACK_OUTPUTS } from '../../scripts/web-deploy/plan.ts';
import { loadTemplate, resource, resourcesOfType, type SamTemplate } from './support/tools.ts';

// The web app's hosting in AWS (docs/decisions.md, D27): a private bucket that only the
// distribution reads, through origin access control; HTTPS only; security headers; client-side
// routes served index.html; and the API's CORS origin, by default, the distribution's.

const template = loadTemplate();
const transformed = loadTemplate('transform');
const properties = (logicalId: string, from: SamTemplate = template) => resource(from, logicalId).Properties ?? {};

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Resolves `Fn::Sub` (string form), `Ref` and `Fn::If` with the given names and conditions, as CloudFormation would. */
function evaluate(value: Json, names: Record<string, string>, conditions: Record<string, boolean> = {}): string {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value['Fn::Sub'] === 'string') {
    return value['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      const known = names[name];
      if (known === undefined) throw new Error(`No value for \${${name}}`);
      return known;
    });
  }
  if (isObject(value) && typeof value.Ref === 'string') return evaluate({ 'Fn::Sub': `\${${value.Ref}}` }, names);
  if (isObject(value) && Array.isArray(value['Fn::If'])) {
    const [condition, whenTrue, whenFalse] = value['Fn::If'] as [string, Json, Json];
    if (!(condition in conditions)) throw new Error(`No value for condition ${condition}`);
    return evaluate(conditions[condition] ? whenTrue : whenFalse, names, conditions);
  }
  throw new Error(`Cannot evaluate ${JSON.stringify(value)}`);
}

const distribution = properties('WebDistribution').DistributionConfig as Record<string, Json>;
const defaultBehavior = distribution.DefaultCacheBehavior as Record<string, Json>;

describe('the web bucket', () => {
  it('is private: every public access block on, ACLs disabled (bucket owner enforced), no website endpoint, encrypted', () => {
    expect(resource(template, 'WebBucket').Type).toBe('AWS::S3::Bucket');
    expect(properties('WebBucket')).toEqual({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
  });

  it('lets only this distribution read objects, and refuses any request without TLS', () => {
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy');
    expect(policies.map(([id]) => id)).toEqual(['WebBucketPolicy']);
    const policy = properties('WebBucketPolicy');
    expect(policy.Bucket).toEqual({ Ref: 'WebBucket' });
    const statements = (policy.PolicyDocument as { Statement: Array<Record<string, Json>> }).Statement;
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([
      {
        Sid: 'WebDistributionReadsObjects',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Sub': '${WebBucket.Arn}/*' },
        Condition: { StringEquals: { 'AWS:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${WebDistribution}' } } },
      },
    ]);
    expect(statements.filter((statement) => statement.Effect === 'Deny')).toEqual([
      {
        Sid: 'TlsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [{ 'Fn::GetAtt': ['WebBucket', 'Arn'] }, { 'Fn::Sub': '${WebBucket.Arn}/*' }],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });
});

describe('the distribution', () => {
  it('reads the bucket through origin access control (SigV4, every request), not a legacy origin access identity', () => {
    expect(distribution.Origins).toEqual([
      {
        Id: 'WebBucket',
        // The bucket's REST endpoint: a website endpoint would need a public bucket.
        DomainName: { 'Fn::GetAtt': ['WebBucket', 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': ['WebOriginAccessControl', 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      },
    ]);
    expect((properties('WebOriginAccessControl').OriginAccessControlConfig as Record<string, Json>)).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(resourcesOfType(template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
  });

  it('serves HTTPS only: plain HTTP is redirected, on every cache behavior; GET and HEAD only', () => {
    const behaviors = [defaultBehavior, ...((distribution.CacheBehaviors as Array<Record<string, Json>> | undefined) ?? [])];
    for (const behavior of behaviors) {
      expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    }
    expect(distribution).toMatchObject({ Enabled: true, DefaultRootObject: 'index.html', ViewerCertificate: { CloudFrontDefaultCertificate: true } });
  });

  it('compresses, and caches by URL alone with the managed CachingOptimized policy (TTLs from each object’s Cache-Control)', () => {
    expect(defaultBehavior).toMatchObject({ Compress: true, CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' });
  });

  it('sends the security headers on every response: HSTS, CSP, nosniff, frame DENY, a referrer policy', () => {
    expect(defaultBehavior.ResponseHeadersPolicyId).toEqual({ Ref: 'WebSecurityHeadersPolicy' });
    const config = (properties('WebSecurityHeadersPolicy').ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, Json>> })
      .SecurityHeadersConfig;
    expect(config.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: false, Override: true });
    expect(Number(config.StrictTransportSecurity?.AccessControlMaxAgeSec)).toBeGreaterThanOrEqual(31536000);
    expect(config.ContentTypeOptions).toEqual({ Override: true });
    expect(config.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(config.ReferrerPolicy).toEqual({ ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true });
    expect(config.ContentSecurityPolicy?.Override).toBe(true);
  });

  it("the content security policy allows the app's own files, and connections only to itself, API Gateway and Cognito of the stack's region", () => {
    const config = (properties('WebSecurityHeadersPolicy').ResponseHeadersPolicyConfig as { SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: Json } } })
      .SecurityHeadersConfig;
    const policy = evaluate(config.ContentSecurityPolicy.ContentSecurityPolicy, { 'AWS::Region': 'eu-west-1', 'AWS::URLSuffix': 'amazonaws.com' });
    const directives = Object.fromEntries(
      policy
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .filter((tokens) => tokens[0] !== '')
        .map(([name, ...sources]) => [name, sources]),
    );
    expect(directives).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'", 'https://*.execute-api.eu-west-1.amazonaws.com', 'https://cognito-idp.eu-west-1.amazonaws.com'],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
    expect(policy).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('serves index.html for client-side routes (a last path segment without a dot) and leaves files alone', () => {
    const fn = properties('WebRoutingFunction');
    expect(fn).toMatchObject({ AutoPublish: true, FunctionConfig: { Runtime: 'cloudfront-js-2.0' } });
    expect(defaultBehavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': ['WebRoutingFunction', 'FunctionARN'] } }]);
    // The code as CloudFront runs it: a `handler(event)` taking and returning the viewer request.
    const handler = new Function(`${String(fn.FunctionCode)}\nreturn handler;`)() as (event: { request: { uri: string } }) => { uri: string };
    const served = (uri: string) => handler({ request: { uri } }).uri;
    for (const route of ['/', '/orders', '/orders/0f8fad5b-d9cb-469f-a165-70867728950e', '/admin/products/', '/checkout']) {
      expect(served(route), route).toBe('/index.html');
    }
    for (const file of ['/index.html', '/config.json', '/assets/index-B1a2C3d4.js', '/favicon.svg', '/assets/missing-AAAAAAAA.js']) {
      expect(served(file), file).toBe(file);
    }
  });
});

describe("the API's CORS origin", () => {
  const parameter = (template.Parameters as Record<string, { Default?: string; AllowedPattern?: string }>).CorsAllowOrigin;
  const allowed = (value: string) => new RegExp(`^(?:${parameter?.AllowedPattern})$`).test(value);
  const DOMAIN = 'd111111abcdef8.cloudfront.net';
  const body = properties('OrdersApi', transformed).Body as { paths: Record<string, Record<string, { 'x-amazon-apigateway-integration'?: { responses?: Record<string, { responseParameters?: Record<string, Json> }> } }>>; 'x-amazon-apigateway-gateway-responses': Record<string, { responseParameters: Record<string, Json> }> };

  /** Every place the origin is set, in the SAM-transformed template as CloudFormation gets it (header values quoted). */
  const places = (): Array<[string, Json]> => [
    ...Object.entries(body.paths).map(([path, methods]): [string, Json] => [
      `OPTIONS ${path}`,
      methods.options?.['x-amazon-apigateway-integration']?.responses?.default?.responseParameters?.['method.response.header.Access-Control-Allow-Origin'],
    ]),
    ...Object.entries(body['x-amazon-apigateway-gateway-responses']).map(([type, response]): [string, Json] => [
      type,
      response.responseParameters['gatewayresponse.header.Access-Control-Allow-Origin'],
    ]),
    ...resourcesOfType(transformed, 'AWS::Lambda::Function').map(([id, fn]): [string, Json] => [
      id,
      (fn.Properties?.Environment as { Variables: Record<string, Json> }).Variables.CORS_ALLOW_ORIGIN,
    ]),
  ];

  /** The origin every place gets when CorsAllowOrigin is `value`. */
  function originsWith(value: string): Set<string> {
    const conditions = { CorsOriginIsWebApp: value === '' };
    const names = { 'WebDistribution.DomainName': DOMAIN, CorsAllowOrigin: value };
    return new Set(places().map(([, origin]) => evaluate(origin, names, conditions).replace(/^'(.*)'$/, '$1')));
  }

  it('is set on every preflight answer, both gateway responses and every function', () => {
    expect(places().length).toBeGreaterThan(20);
    for (const [place, origin] of places()) expect(origin, place).toBeDefined();
    expect(template.Conditions?.CorsOriginIsWebApp).toEqual({ 'Fn::Equals': [{ Ref: 'CorsAllowOrigin' }, ''] });
  });

  it("is the distribution's https origin by default, the WebUrl output", () => {
    expect(parameter?.Default).toBe('');
    expect(originsWith('')).toEqual(new Set([`https://${DOMAIN}`]));
    expect(evaluate((template.Outputs?.WebUrl as { Value: Json }).Value, { 'WebDistribution.DomainName': DOMAIN })).toBe(`https://${DOMAIN}`);
  });

  it('can be set to an origin of your own, or to any origin for development', () => {
    for (const value of ['https://orders.example.com', 'http://localhost:5173', '*']) {
      expect(allowed(value), value).toBe(true);
      expect(originsWith(value)).toEqual(new Set([value]));
    }
    for (const value of ['https://orders.example.com/', 'orders.example.com', 'null', "'*'"]) expect(allowed(value), value).toBe(false);
  });

  it('creates no circular dependency: the distribution and what it needs never refer to the API or the functions', () => {
    const references = (value: Json, found = new Set<string>()): Set<string> => {
      if (Array.isArray(value)) value.forEach((item) => references(item, found));
      else if (isObject(value)) {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'Ref' && typeof inner === 'string') found.add(inner);
          else if (key === 'Fn::GetAtt' && Array.isArray(inner)) found.add(String(inner[0]));
          else if (key === 'Fn::Sub') {
            const text = Array.isArray(inner) ? String(inner[0]) : String(inner);
            for (const [, name] of text.matchAll(/\$\{([^}.!]+)/g)) found.add(name!);
            references(inner, found);
          } else references(inner, found);
        }
      }
      return found;
    };
    const needed = new Set<string>();
    const visit = (id: string) => {
      const node = transformed.Resources[id];
      if (node === undefined || needed.has(id)) return;
      needed.add(id);
      for (const next of references({ ...node, DependsOn: (node as { DependsOn?: Json }).DependsOn })) visit(next);
    };
    visit('WebDistribution');
    expect([...needed].sort()).toEqual(['WebBucket', 'WebDistribution', 'WebOriginAccessControl', 'WebRoutingFunction', 'WebSecurityHeadersPolicy']);
  });
});

describe('outputs for npm run web:deploy', () => {
  it('declares every output web:deploy reads', () => {
    expect(Object.keys(template.Outputs ?? {})).toEqual(expect.arrayContaining([...STACK_OUTPUTS]));
    expect(template.Outputs).toMatchObject({
      WebBucketName: { Value: { Ref: 'WebBucket' } },
      WebDistributionId: { Value: { Ref: 'WebDistribution' } },
    });
  });
});
