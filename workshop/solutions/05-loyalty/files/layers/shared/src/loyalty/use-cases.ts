import type { Principal } from '../platform/auth/principal.ts';
import { loyaltyRepository } from '../repositories.ts';
import type { LoyaltyAccount } from './loyalty.ts';

/** The caller's own loyalty account: a customer sees only theirs, so there is nothing to authorize. */
export const loyaltyAccountOf = (principal: Principal): Promise<LoyaltyAccount> => loyaltyRepository().accountOf(principal.userId);
