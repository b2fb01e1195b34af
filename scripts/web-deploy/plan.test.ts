import { describe, expect, it } from 'vitest';
import {
  cacheControl,
  contentType,
  IMMUTABLE,
  inlineCodeIn,
  planDeploy,
  requireOutputs,
  REVALIDATE,
  STALE_ASSET_GRACE_MS,
  type StackOutputs,
  webConfig,
} from './plan.ts';

const OUTPUTS: StackOutputs = {
  ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/',
  UserPoolId: 'eu-west-1_AbCdEf',
  UserPoolClientId: 'client123',
  WebBucketName: 'orders-webbucket-1x2y3z',
  WebDistributionId: 'E2QWRUHEXAMPLE',
  WebUrl: 'https://d111111abcdef8.cloudfront.net',
};
const CONFIG = webConfig(OUTPUTS, 'eu-west-1');
const NOW = new Date('2026-11-30T12:00:00Z');
const BUILD = ['index.html', 'assets/index-B1a2C3d4.js', 'assets/index-Dx9y8z7w.css', 'assets/orders-Qq1w2e3r.js', 'favicon.svg'];

describe('webConfig', () => {
  it('is config.json as web/src/config.ts reads it: the API URL without its trailing slash, Cognito of the stack region', () => {
    expect(CONFIG).toEqual({
      apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
      cognito: { endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/', region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf', clientId: 'client123' },
    });
  });

  it("takes Cognito's domain from the API's, so a stack in China gets amazonaws.com.cn", () => {
    const config = webConfig({ ...OUTPUTS, ApiUrl: 'https://abc123.execute-api.cn-north-1.amazonaws.com.cn/dev/' }, 'cn-north-1');
    expect(config.cognito.endpoint).toBe('https://cognito-idp.cn-north-1.amazonaws.com.cn/');
    expect(config.apiUrl).toBe('https://abc123.execute-api.cn-north-1.amazonaws.com.cn/dev');
  });

  it('falls back to amazonaws.com for an API URL that is not execute-api (a local API)', () => {
    expect(webConfig({ ...OUTPUTS, ApiUrl: 'http://127.0.0.1:3000/' }, 'us-east-1').cognito.endpoint).toBe('https://cognito-idp.us-east-1.amazonaws.com/');
  });
});

describe('requireOutputs', () => {
  it('keeps exactly the outputs web:deploy uses', () => {
    expect(requireOutputs('orders', { ...OUTPUTS, TableName: 'orders-table' })).toEqual(OUTPUTS);
  });

  it('names every missing output, and says to deploy the template first', () => {
    const { WebBucketName: _bucket, WebDistributionId: _distribution, ...older } = OUTPUTS;
    expect(() => requireOutputs('orders-dev', { ...older, WebUrl: '' })).toThrow(
      'Stack orders-dev has no output WebBucketName, WebDistributionId, WebUrl: deploy this template first',
    );
  });
});

describe('contentType', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-B1a2C3d4.js', 'text/javascript; charset=utf-8'],
    ['assets/index-Dx9y8z7w.css', 'text/css; charset=utf-8'],
    ['config.json', 'application/json; charset=utf-8'],
    ['assets/index-B1a2C3d4.js.map', 'application/json; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
    ['assets/logo-AbCd1234.PNG', 'image/png'],
    ['assets/inter-AbCd1234.woff2', 'font/woff2'],
    ['LICENSE', 'application/octet-stream'],
  ])('%s is %s', (key, type) => {
    expect(contentType(key)).toBe(type);
  });
});

describe('cacheControl', () => {
  it("caches Vite's hashed assets for a year, immutable; everything else revalidates on every use", () => {
    expect(cacheControl('assets/index-B1a2C3d4.js')).toBe('public, max-age=31536000, immutable');
    expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
    for (const key of ['index.html', 'config.json', 'favicon.svg', 'robots.txt', 'nested/assets/x.js']) expect(cacheControl(key), key).toBe('no-cache');
    expect(REVALIDATE).toBe('no-cache');
  });
});

describe('planDeploy', () => {
  it('uploads the assets first, then the other files, then config.json, and index.html last', () => {
    const plan = planDeploy({ files: BUILD, existing: [], config: CONFIG, now: NOW });
    expect(plan.uploads.map((upload) => upload.key)).toEqual([
      'assets/index-B1a2C3d4.js',
      'assets/index-Dx9y8z7w.css',
      'assets/orders-Qq1w2e3r.js',
      'favicon.svg',
      'config.json',
      'index.html',
    ]);
    expect(plan.uploads.find((upload) => upload.key === 'index.html')).toEqual({
      key: 'index.html',
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
      source: { file: 'index.html' },
    });
    expect(plan.uploads[0]).toMatchObject({ cacheControl: IMMUTABLE, source: { file: 'assets/index-B1a2C3d4.js' } });
    expect(plan.invalidationPaths).toEqual(['/index.html', '/config.json']);
  });

  it("writes config.json from the stack, never the build's own", () => {
    const plan = planDeploy({ files: [...BUILD, 'config.json'], existing: [], config: CONFIG, now: NOW });
    const configs = plan.uploads.filter((upload) => upload.key === 'config.json');
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({ contentType: 'application/json; charset=utf-8', cacheControl: 'no-cache' });
    const source = configs[0]?.source;
    expect(source && 'text' in source ? JSON.parse(source.text) : undefined).toEqual(CONFIG);
  });

  it('deletes what the build no longer has, but keeps recent assets for pages loaded before the deploy', () => {
    const ago = (ms: number) => new Date(NOW.getTime() - ms);
    const plan = planDeploy({
      files: BUILD,
      existing: [
        { key: 'index.html', lastModified: ago(60_000) },
        { key: 'config.json', lastModified: ago(60_000) },
        { key: 'assets/index-B1a2C3d4.js', lastModified: ago(STALE_ASSET_GRACE_MS * 2) },
        { key: 'assets/index-OLD00001.js', lastModified: ago(60_000) },
        { key: 'assets/index-OLD00002.js', lastModified: ago(STALE_ASSET_GRACE_MS - 1) },
        { key: 'assets/index-OLD00003.js', lastModified: ago(STALE_ASSET_GRACE_MS) },
        { key: 'assets/index-OLD00004.js', lastModified: undefined },
        { key: 'old-favicon.ico', lastModified: ago(60_000) },
      ],
      config: CONFIG,
      now: NOW,
    });
    expect(plan.deletions).toEqual(['assets/index-OLD00003.js', 'assets/index-OLD00004.js', 'old-favicon.ico']);
    expect(plan.keptStaleAssets).toEqual(['assets/index-OLD00001.js', 'assets/index-OLD00002.js']);
  });

  it('refuses a directory without index.html', () => {
    expect(() => planDeploy({ files: ['assets/index-B1a2C3d4.js'], existing: [], config: CONFIG, now: NOW })).toThrow('The build has no index.html');
  });
});

describe('inlineCodeIn', () => {
  it("passes Vite's index.html: scripts and styles from files only", () => {
    const html = `<!doctype html><html lang="en"><head><meta charset="UTF-8" />
      <script type="module" crossorigin src="/assets/index-B1a2C3d4.js"></script>
      <link rel="stylesheet" crossorigin href="/assets/index-Dx9y8z7w.css">
      <script type="application/json" id="data">{"a":1}</script></head>
      <body><div id="root"></div><noscript>Turn on JavaScript to use this app.</noscript></body></html>`;
    expect(inlineCodeIn(html)).toEqual([]);
  });

  it('names what the content security policy would block', () => {
    expect(inlineCodeIn('<script>window.x = 1</script>')).toEqual(['an inline <script>']);
    expect(inlineCodeIn('<script type="module">import "/a.js"</script>')).toEqual(['an inline <script>']);
    expect(inlineCodeIn('<style>body{}</style>')).toEqual(['a <style> element']);
    expect(inlineCodeIn('<div style="color:red">')).toEqual(['a style attribute']);
    expect(inlineCodeIn('<body onload="start()">')).toEqual(['an event handler attribute (on…=)']);
  });
});
