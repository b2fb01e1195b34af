import { httpHandler, loyalty, principalOf } from '@orders/shared';

/** GET /loyalty: the caller's loyalty points, balance and awards (their own only). */
export const handler = httpHandler(async ({ event }) => {
  const principal = principalOf(event);
  return { status: 200, body: await loyalty.loyaltyAccountOf(principal) };
});
