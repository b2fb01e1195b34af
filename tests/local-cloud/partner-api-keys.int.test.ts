import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { api, type ApiResponse } from '../support/http.ts';
import { INTEGRATION_PARTNER_PLAN as PLAN } from '../support/partner-plan.ts';

/**
 * The partners' usage plan as the local cloud enforces it (template.yaml, OrdersApi
 * Auth.UsagePlan; here with the small limits of partner-plan.ts): 403 without a valid key,
 * 200 with it, 429 past the burst, 429 past the daily quota. Bounded bursts on 127.0.0.1 only.
 * Local only: a deployed stack's plan has the real limits, and its key's value is not an output.
 * The tests run in order and share the key's quota.
 */
describe('partner API keys (the usage plan, enforced locally)', () => {
  const key = inject('apiKey');
  const [productId] = inject('productIds');
  const withKey = (path: string, apiKey = key) => api('GET', path, { headers: apiKey === undefined ? {} : { 'x-api-key': apiKey } });
  /** Requests the plan let through (whatever the function then answered): they are what the quota counts. */
  let admitted = 0;
  const count = (response: ApiResponse) => {
    if (response.status !== 403 && response.status !== 429) admitted += 1;
    return response;
  };
  // Admitted requests run the catalog function, cold in new workers when concurrent: slow on a busy machine.
  const SLOW = 120_000;
  /** Waits until the bucket has refilled to its burst. */
  const refill = () => sleep(Math.ceil((PLAN.burstLimit / PLAN.rateLimit) * 1000) + 50);

  it('the local cloud describes its key (npm start prints it)', () => {
    expect(key).toBe('local-PartnerApiKey');
  });

  it('refuses the keyed routes without a key or with a wrong one (403), and serves them with the key', async () => {
    for (const apiKey of [undefined, 'local-PartnerApiKey-not']) {
      const refused = await api('GET', '/partner/products', { headers: apiKey === undefined ? {} : { 'x-api-key': apiKey } });
      expect([refused.status, refused.json?.message]).toEqual([403, 'Forbidden']);
    }
    const list = count(await withKey('/partner/products?limit=2'));
    expect(list.status).toBe(200);
    expect(list.json.items).toHaveLength(2);
    const one = count(await withKey(`/partner/products/${productId}`));
    expect([one.status, one.json.productId]).toEqual([200, productId]);
    // The same function's public route needs no key.
    expect((await api('GET', `/products/${productId}`)).status).toBe(200);
  }, SLOW);

  it('throttles a burst beyond the plan’s burst limit with 429 Too Many Requests', async () => {
    await refill();
    const size = PLAN.burstLimit * 4;
    const responses = await Promise.all(Array.from({ length: size }, () => withKey('/partner/products?limit=1').then(count)));
    const outcomes = responses.map((response) => (response.status === 429 ? `429 ${response.json?.message}` : 'admitted'));
    // The first burstLimit get through at once; the bucket refills 10 a second, far slower than these arrive.
    expect(outcomes.filter((outcome) => outcome === 'admitted').length, outcomes.join(', ')).toBeGreaterThanOrEqual(PLAN.burstLimit);
    expect(outcomes.filter((outcome) => outcome === 'admitted').length, outcomes.join(', ')).toBeLessThan(size);
    expect(outcomes.filter((outcome) => outcome !== 'admitted' && outcome !== '429 Too Many Requests'), outcomes.join(', ')).toEqual([]);
    const sample = responses.find((response) => response.status === 429)!;
    expect(sample.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(sample.json).toEqual({ message: 'Too Many Requests', requestId: sample.headers.get('x-amzn-requestid') });
  }, SLOW);

  it('counts only admitted requests against the daily quota, then answers 429 Limit Exceeded', async () => {
    await refill();
    let exceeded: ApiResponse | undefined;
    // Paced under the rate, so that throttling plays no part; bounded by the quota with room to spare.
    for (let attempt = 0; attempt < PLAN.dailyQuota + 10 && exceeded === undefined; attempt += 1) {
      const response = count(await withKey('/partner/products?limit=1', key));
      if (response.status === 429 && response.json?.message === 'Limit Exceeded') exceeded = response;
      else expect(response.status).toBe(200);
      await sleep(Math.ceil(1000 / PLAN.rateLimit) + 5);
    }
    expect(exceeded?.headers.get('x-amzn-errortype')).toBe('LimitExceededException');
    expect(exceeded?.json).toEqual({ message: 'Limit Exceeded', requestId: exceeded?.headers.get('x-amzn-requestid') });
    expect(admitted).toBe(PLAN.dailyQuota);

    // Until 00:00 UTC: every keyed route, however slowly called; a wrong key is still a 403 first.
    await refill();
    const again = await withKey(`/partner/products/${productId}`);
    expect([again.status, again.json?.message]).toEqual([429, 'Limit Exceeded']);
    expect((await withKey('/partner/products', 'wrong-key-0000000000000')).status).toBe(403);
    // Customers and anonymous visitors are not metered by the partners' plan.
    expect((await api('GET', '/products?limit=1')).status).toBe(200);
  }, SLOW);
});
