import { describe, expect, it } from 'vitest';
import { ByteBudget } from './importBatch';

describe('ByteBudget', () => {
  it('holds back a file until the bytes in flight fit, and lets a file larger than all go alone', async () => {
    const budget = new ByteBudget(100);
    const releaseA = await budget.acquire(60);
    const order: string[] = [];
    const b = budget.acquire(60).then((release) => {
      order.push('b');
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual([]);
    releaseA();
    const releaseB = await b;
    expect(order).toEqual(['b']);
    releaseB();
    releaseB(); // twice is harmless
    const releaseHuge = await budget.acquire(1000);
    releaseHuge();
    const later = new Promise((resolve) => setTimeout(() => resolve('blocked'), 50));
    expect(await Promise.race([budget.acquire(100).then(() => 'free'), later])).toBe('free');
  });
});
