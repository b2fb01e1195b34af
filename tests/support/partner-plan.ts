/**
 * The partners' usage plan of the integration project's local cloud (global-setup.ts passes these
 * as parameter overrides, as `sam deploy --parameter-overrides` would): small enough that a test
 * reaches the burst and the daily quota in a few requests on 127.0.0.1.
 */
// Each admitted request runs the catalog function: a small burst keeps the concurrent cold starts few.
export const INTEGRATION_PARTNER_PLAN = { rateLimit: 10, burstLimit: 2, dailyQuota: 12 } as const;

export const partnerPlanParameters = (): Record<string, string> => ({
  PartnerApiRateLimit: String(INTEGRATION_PARTNER_PLAN.rateLimit),
  PartnerApiBurstLimit: String(INTEGRATION_PARTNER_PLAN.burstLimit),
  PartnerApiDailyQuota: String(INTEGRATION_PARTNER_PLAN.dailyQuota),
});
