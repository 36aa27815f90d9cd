import assert from "node:assert/strict";
import { test } from "node:test";
import type { Entry } from "../../../core/envelope.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { checkAgainstModel } from "../../../testing/model.ts";

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
