import { ForbiddenError } from '../errors.ts';
import { isAdmin, type Principal } from './principal.ts';

/** Catalog and back-office operations are for the `admin` group only. */
export function assertAdmin(principal: Principal): void {
  if (!isAdmin(principal)) throw new ForbiddenError('This operation is for administrators only');
}
