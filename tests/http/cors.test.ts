import { describe, expect, inject, it } from 'vitest';

/**
 * A browser on another origin (the web app: CloudFront's domain in AWS, its own port locally)
 * asks before each call that sends a token or JSON; the answer comes from the API's Cors in
 * template.yaml.
 */
describe('CORS preflight of the API', () => {
  it('allows every header the web app sends, on a route that needs a token', async () => {
    const response = await fetch(`${inject('apiUrl')}/orders`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:8750',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key,x-correlation-id',
      },
    });

    expect(response.status).toBe(200);
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',');
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'x-correlation-id']));
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-origin')).not.toBeNull();
  });
});
