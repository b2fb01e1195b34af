/**
 * What `npm run web:deploy` does to the web app's bucket and distribution, decided without
 * talking to AWS: the runtime configuration (`config.json`, docs/decisions.md D27), which object
 * gets which Content-Type and Cache-Control, in which order the uploads go, what is deleted and
 * what is invalidated. `deploy.ts` carries the plan out with the SDK.
 */

/** The stack outputs web:deploy reads (template.yaml, Outputs). */
export const STACK_OUTPUTS = ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'WebBucketName', 'WebDistributionId', 'WebUrl'] as const;
export type StackOutputs = Record<(typeof STACK_OUTPUTS)[number], string>;

/** `GET /config.json` at the web app's origin: the contract with web/src/config.ts. */
export interface WebConfig {
  /** The API's base URL, no trailing slash. */
  apiUrl: string;
  cognito: {
    /** Cognito's JSON API (InitiateAuth, ...). */
    endpoint: string;
    region: string;
    userPoolId: string;
    clientId: string;
  };
}

/** The file the app reads its configuration from, written by web:deploy (never by the build). */
export const CONFIG_KEY = 'config.json';
export const INDEX_KEY = 'index.html';
/** Vite's assetsDir: every file in it has a content hash in its name. */
export const HASHED_ASSETS_PREFIX = 'assets/';

/** Content-hashed: a new content is a new name, so a cached copy never goes stale. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else: cached, but revalidated (ETag) on every use, so a deploy shows at once. */
export const REVALIDATE = 'no-cache';

/**
 * How long an asset the new build no longer has is kept. A page loaded before the deploy still
 * asks for its own chunks (lazy routes) until it reloads; deleting them at once would break it.
 */
export const STALE_ASSET_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

/** Picks the outputs web:deploy needs; names the missing ones (an older stack, another template). */
export function requireOutputs(stackName: string, outputs: Record<string, string | undefined>): StackOutputs {
  const missing = STACK_OUTPUTS.filter((key) => !outputs[key]);
  if (missing.length > 0) {
    throw new Error(
      `Stack ${stackName} has no output ${missing.join(', ')}: deploy this template first (sam build && sam deploy), then run web:deploy again`,
    );
  }
  return Object.fromEntries(STACK_OUTPUTS.map((key) => [key, outputs[key]!])) as StackOutputs;
}

/** The app's configuration for a stack in `region` (the region of its CloudFormation stack). */
export function webConfig(outputs: StackOutputs, region: string): WebConfig {
  // The API's URL and Cognito's endpoint share the partition's domain (amazonaws.com, or .com.cn in China).
  const domain = /\.execute-api\.[^.]+\.(.+)$/.exec(new URL(outputs.ApiUrl).hostname)?.[1] ?? 'amazonaws.com';
  return {
    apiUrl: outputs.ApiUrl.replace(/\/+$/, ''),
    cognito: {
      endpoint: `https://cognito-idp.${region}.${domain}/`,
      region,
      userPoolId: outputs.UserPoolId,
      clientId: outputs.UserPoolClientId,
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  wasm: 'application/wasm',
};

/**
 * The Content-Type S3 serves the object with. Browsers refuse a module script that is not
 * JavaScript (and nosniff, which CloudFront adds, refuses a mislabelled stylesheet), so this
 * matters: S3 would otherwise store what the uploader says, or binary/octet-stream.
 */
export function contentType(key: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(key)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

export function cacheControl(key: string): string {
  return key.startsWith(HASHED_ASSETS_PREFIX) ? IMMUTABLE : REVALIDATE;
}

/**
 * What in index.html the distribution's content security policy (template.yaml,
 * WebSecurityHeadersPolicy: scripts and styles only from the app's own files) would block, so
 * that a build the browser would refuse to run is never deployed. Data blocks
 * (`<script type="application/json">`) are not code and pass.
 */
export function inlineCodeIn(html: string): string[] {
  const found: string[] = [];
  for (const [, attributes = ''] of html.matchAll(/<script\b([^>]*)>/gi)) {
    if (/\ssrc\s*=/i.test(attributes)) continue;
    const type = /\stype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase();
    if (type === undefined || type === 'module' || type === 'text/javascript') found.push('an inline <script>');
  }
  if (/<style\b/i.test(html)) found.push('a <style> element');
  if (/<[^>]+\sstyle\s*=/i.test(html)) found.push('a style attribute');
  if (/<[^>]+\son[a-z]+\s*=/i.test(html)) found.push('an event handler attribute (on…=)');
  return found;
}

export interface Upload {
  key: string;
  contentType: string;
  cacheControl: string;
  /** A file of the build (relative to web/dist, `/`-separated), or the text to upload. */
  source: { file: string } | { text: string };
}

export interface ExistingObject {
  key: string;
  lastModified: Date | undefined;
}

export interface DeployPlan {
  /** In this order: a visitor never gets an index.html whose assets or configuration are not there yet. */
  uploads: Upload[];
  deletions: string[];
  /** Assets the build no longer has, kept for pages loaded before the deploy (STALE_ASSET_GRACE_MS). */
  keptStaleAssets: string[];
  invalidationPaths: string[];
}

export interface PlanInput {
  /** The build's files, relative to web/dist, `/`-separated. */
  files: string[];
  existing: ExistingObject[];
  config: WebConfig;
  now: Date;
}

/**
 * Every file of the build is uploaded each time (a few hundred KB): an object's LastModified is
 * then the last deploy that still had it, which is what the stale-asset grace period counts from.
 */
export function planDeploy({ files, existing, config, now }: PlanInput): DeployPlan {
  const keys = new Set(files);
  if (!keys.has(INDEX_KEY)) throw new Error(`The build has no ${INDEX_KEY}: is this web/dist?`);
  // config.json is the stack's, written below; a file of that name in the build (a development
  // configuration in web/public) must never reach the bucket.
  keys.delete(CONFIG_KEY);

  const upload = (key: string): Upload => ({ key, contentType: contentType(key), cacheControl: cacheControl(key), source: { file: key } });
  const sorted = [...keys].sort();
  const assets = sorted.filter((key) => key.startsWith(HASHED_ASSETS_PREFIX));
  const others = sorted.filter((key) => !key.startsWith(HASHED_ASSETS_PREFIX) && key !== INDEX_KEY);
  const uploads: Upload[] = [
    ...assets.map(upload),
    ...others.map(upload),
    { key: CONFIG_KEY, contentType: contentType(CONFIG_KEY), cacheControl: REVALIDATE, source: { text: `${JSON.stringify(config, null, 2)}\n` } },
    upload(INDEX_KEY),
  ];

  const deletions: string[] = [];
  const keptStaleAssets: string[] = [];
  for (const object of existing) {
    if (keys.has(object.key) || object.key === CONFIG_KEY) continue;
    const age = object.lastModified === undefined ? Infinity : now.getTime() - object.lastModified.getTime();
    if (object.key.startsWith(HASHED_ASSETS_PREFIX) && age < STALE_ASSET_GRACE_MS) keptStaleAssets.push(object.key);
    else deletions.push(object.key);
  }

  return { uploads, deletions: deletions.sort(), keptStaleAssets: keptStaleAssets.sort(), invalidationPaths: [`/${INDEX_KEY}`, `/${CONFIG_KEY}`] };
}
