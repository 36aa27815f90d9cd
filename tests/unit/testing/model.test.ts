import assert from "node:assert/strict";
import { test } from "node:test";
import type { Entry } from "../../../core/envelope.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { ManualClock } from "../../../testing/_clock.ts";
import { checkAgainstModel } from "../../../testing/_model.ts";
import { Concat, Good, LateDeadline, RefusesOnRead, RefusesSeparator } from "./_planted.ts";

/** A store with one planted bug: deleteMany() reports one deletion too many. */
class OffByOneStore extends MemoryStore {
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    const count = await super.deleteEntries(collection, keys);
    return count > 0 ? count + 1 : count;
  }
}

/** A store with one planted bug: a value written over another keeps the old one. */
class StaleOverwriteStore extends MemoryStore {
  protected override async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    if ((await this.getEntry(collection, key)) === undefined) {
      await super.putEntry(collection, key, entry);
    }
  }
}

test("checkAgainstModel() passes a correct store", async () => {
  assert.equal(await checkAgainstModel(new MemoryStore(), { runs: 100 }), 100);
});

for (const Broken of [OffByOneStore, StaleOverwriteStore]) {
  test(`checkAgainstModel() finds the planted bug in ${Broken.name} and shrinks it`, async () => {
    await assert.rejects(
      checkAgainstModel(new Broken(), { runs: 200, seed: 42 }),
      (error: Error) => {
        assert.match(error.message, /Counterexample/);
        assert.match(error.message, /Shrunk \d+ time/);
        return true;
      },
    );
  });
}

test("checkAgainstModel() with a clock passes a correct store, expiring entries at their deadlines", async () => {
  const clock = new ManualClock();
  assert.equal(await checkAgainstModel(new Good({ clock }), { runs: 100, clock }), 100);
  assert.equal(clock.frozen, false, "the clock runs again afterwards");
});

test("checkAgainstModel() with a clock finds a store that reads an entry at its deadline as live", async () => {
  const clock = new ManualClock();
  await assert.rejects(
    checkAgainstModel(new LateDeadline({ clock }), { runs: 300, seed: 42, clock }),
    /Counterexample/,
  );
});

test("checkAgainstModel() finds a layout that maps (a, b::c) and (a::b, c) to one entry", async () => {
  await assert.rejects(checkAgainstModel(new Concat(), { runs: 300, seed: 42 }), /Counterexample/);
});

test("checkAgainstModel() accepts names a store refuses on every method, not on reads only", async () => {
  assert.equal(await checkAgainstModel(new RefusesSeparator(), { runs: 100 }), 100);
  await assert.rejects(
    checkAgainstModel(new RefusesOnRead(), { runs: 300, seed: 42 }),
    /Counterexample/,
  );
});
