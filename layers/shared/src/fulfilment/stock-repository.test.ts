import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { OutOfStockError } from './errors.ts';
import { MAX_RESERVE_ATTEMPTS, StockRepository } from './stock-repository.ts';

// How `reserve` goes from its first guess to a plan (the integration tests race real
// transactions on DynamoDB Local; here each transaction's outcome is chosen).
const documents = mockClient(DynamoDBDocumentClient);
const repository = new StockRepository(documents as unknown as DynamoDBDocumentClient, 'table');
const P = 'p-1';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const counterItems = (units: number[]) => units.map((stock, counter) => ({ PK: `STOCK#${P}#${counter}`, SK: 'STOCK', productId: P, counter, stock }));
const counterKeysOf = (call: number) =>
  (documents.commandCalls(TransactWriteCommand)[call]?.args[0].input.TransactItems ?? []).flatMap((item) => (item.Update ? [[item.Update.Key?.PK, item.Update.ExpressionAttributeValues?.[':quantity']]] : []));

beforeEach(() => documents.reset());

describe('StockRepository.reserve', () => {
  it('first takes the whole quantity from one counter, reading nothing', async () => {
    documents.on(TransactWriteCommand).resolves({});
    expect(await repository.reserve('o-1', [{ productId: P, quantity: 3 }], 'now')).toBe(true);
    expect(documents.commandCalls(BatchGetCommand)).toHaveLength(0);
    const [[key, quantity]] = counterKeysOf(0) as [[string, number]];
    expect(key).toMatch(new RegExp(`^STOCK#${P}#[0-3]$`));
    expect(quantity).toBe(3);
    const put = documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.at(-1)?.Put;
    expect(put?.Item).toMatchObject({ status: 'RESERVED', lines: [{ productId: P, quantity: 3 }], takes: [{ productId: P, counter: Number(key.at(-1)), quantity: 3 }] });
    expect(put?.ConditionExpression).toBe('attribute_not_exists(PK)');
  });

  it('when the counter drawn is short, reads the counters (strongly consistent) and takes from the plan', async () => {
    documents.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolves({});
    documents.on(BatchGetCommand).resolves({ Responses: { table: counterItems([0, 1, 0, 2]) } });
    expect(await repository.reserve('o-1', [{ productId: P, quantity: 3 }], 'now')).toBe(true);
    expect(documents.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.table).toMatchObject({ ConsistentRead: true });
    expect(counterKeysOf(1).sort()).toEqual([
      [`STOCK#${P}#1`, 1],
      [`STOCK#${P}#3`, 2],
    ]);
  });

  it('plans again after a transaction conflict with another order', async () => {
    documents.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None')).resolves({});
    documents.on(BatchGetCommand).resolves({ Responses: { table: counterItems([5, 5, 5, 5]) } });
    expect(await repository.reserve('o-1', [{ productId: P, quantity: 1 }], 'now')).toBe(true);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('is out of stock when the counters hold less than the order in all, naming the product', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    documents.on(BatchGetCommand).resolves({ Responses: { table: counterItems([1, 0, 1]) } });
    await expect(repository.reserve('o-1', [{ productId: P, quantity: 3 }], 'now')).rejects.toThrow(new OutOfStockError(`Not enough stock for ${P}`));
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('answers false, reading nothing, when the order already holds its reservation', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed'));
    expect(await repository.reserve('o-1', [{ productId: P, quantity: 3 }], 'now')).toBe(false);
    expect(documents.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it(`gives up after ${MAX_RESERVE_ATTEMPTS} lost races with the transaction's error, which the state machine retries`, async () => {
    const lost = cancelled('ConditionalCheckFailed', 'None');
    documents.on(TransactWriteCommand).rejects(lost);
    documents.on(BatchGetCommand).resolves({ Responses: { table: counterItems([9, 9, 9, 9]) } });
    await expect(repository.reserve('o-1', [{ productId: P, quantity: 1 }], 'now')).rejects.toBe(lost);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(MAX_RESERVE_ATTEMPTS);
  });

  it('passes on any other error at once', async () => {
    documents.on(TransactWriteCommand).rejects(new Error('socket hang up'));
    await expect(repository.reserve('o-1', [{ productId: P, quantity: 1 }], 'now')).rejects.toThrow('socket hang up');
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
