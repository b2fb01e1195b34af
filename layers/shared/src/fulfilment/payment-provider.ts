import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../platform/table/conditional-write.ts';
import { ENTITY, simulatedChargeKey } from '../platform/table/keys.ts';
import { PaymentDeclinedError, PaymentUnavailableError } from './errors.ts';

export interface ChargeRequest {
  /** The same key always gives the same charge: a retried call never charges twice. */
  idempotencyKey: string;
  amount: number;
  currency: string;
  paymentMethod: string;
}

/** The port the saga talks to. A real provider (Stripe, Adyen, …) is one more adapter. */
export interface PaymentProvider {
  /** Returns the charge id, or throws PaymentDeclinedError / PaymentUnavailableError. */
  charge(request: ChargeRequest): Promise<{ chargeId: string }>;
  /** Refunds a charge in full; refunding twice is harmless. */
  refund(chargeId: string): Promise<void>;
  /**
   * The charge made under an idempotency key, if any: a call whose answer was lost (a timeout)
   * may still have charged, and only the provider knows.
   */
  findCharge(idempotencyKey: string): Promise<{ chargeId: string } | undefined>;
}

/**
 * A deterministic payment provider for development, tests and demos. It keeps a ledger in the
 * table (one item per idempotency key) so retries are answered from it, like a real provider's
 * idempotency keys. Its test tokens (docs/payments.md):
 * - `tok_visa` (and any other token): approved.
 * - `tok_decline`: declined.
 * - `tok_transient`: the first two attempts fail as unavailable, the third is approved.
 * - `tok_timeout`: the first attempt charges but its answer is lost (unavailable); the retry
 *   finds the charge and returns it, so the customer is charged once.
 * - `tok_unavailable`: always unavailable.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async charge(request: ChargeRequest): Promise<{ chargeId: string }> {
    const key = simulatedChargeKey(request.idempotencyKey);
    const attempt = await this.countAttempt(key, request);
    const existing = await this.existingCharge(key);
    if (existing !== undefined) return { chargeId: existing };

    switch (request.paymentMethod) {
      case 'tok_decline':
        throw new PaymentDeclinedError('The card was declined');
      case 'tok_unavailable':
        throw new PaymentUnavailableError('The payment provider is unavailable');
      case 'tok_transient':
        if (attempt <= 2) throw new PaymentUnavailableError(`The payment provider is unavailable (attempt ${attempt})`);
        break;
      case 'tok_timeout': {
        const chargeId = await this.recordCharge(key, request);
        if (attempt === 1) throw new PaymentUnavailableError(`The payment provider timed out (charge ${chargeId} was made)`);
        return { chargeId };
      }
    }
    return { chargeId: await this.recordCharge(key, request) };
  }

  async findCharge(idempotencyKey: string): Promise<{ chargeId: string } | undefined> {
    const chargeId = await this.existingCharge(simulatedChargeKey(idempotencyKey));
    return chargeId === undefined ? undefined : { chargeId };
  }

  async refund(chargeId: string): Promise<void> {
    const idempotencyKey = chargeId.replace(/^ch_/, '');
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: simulatedChargeKey(idempotencyKey),
        UpdateExpression: 'SET refunded = :true',
        ConditionExpression: 'attribute_exists(chargeId)',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
  }

  private async countAttempt(key: Record<string, string>, request: ChargeRequest): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'ADD attempts :one SET #type = :type, amount = :amount, currency = :currency',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': ENTITY.simulatedCharge, ':amount': request.amount, ':currency': request.currency },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Number(Attributes?.attempts ?? 1);
  }

  private async existingCharge(key: Record<string, string>): Promise<string | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return typeof Item?.chargeId === 'string' ? Item.chargeId : undefined;
  }

  /** Records the charge once; a concurrent duplicate finds it already made. */
  private async recordCharge(key: Record<string, string>, request: ChargeRequest): Promise<string> {
    const chargeId = `ch_${request.idempotencyKey}`;
    await conditionalWrite(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET chargeId = :chargeId, chargedAt = :now',
          ConditionExpression: 'attribute_not_exists(chargeId)',
          ExpressionAttributeValues: { ':chargeId': chargeId, ':now': new Date().toISOString() },
        }),
      ),
    );
    return chargeId;
  }
}

