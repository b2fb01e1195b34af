import { matchesFilterPolicy, parseFilterPolicy, type FilterPolicy } from '../core/filter-policy.ts';
import type { Subscription, SubscriptionMatcher } from './topic.ts';

/**
 * Connects topics to the filter-policy engine: a SubscriptionMatcher that parses each
 * subscription's policy once (SNS does it at Subscribe) and reuses it for every message.
 */
export function createFilterPolicyMatcher(): SubscriptionMatcher {
  const parsed = new WeakMap<Subscription, FilterPolicy>();
  return (subscription, message) => {
    let policy = parsed.get(subscription);
    if (!policy) {
      policy = parseFilterPolicy(
        subscription.filterPolicy,
        subscription.filterPolicyScope ?? 'MessageAttributes',
      );
      parsed.set(subscription, policy);
    }
    return matchesFilterPolicy(policy, message);
  };
}
