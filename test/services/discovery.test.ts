/**
 * How the services serve a step's quick scorer: its key (stored beside the candidates) and its options for the model
 * in service, with the catalog's rating counts per model row for a pick weight.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareModel } from '../../src/recommend/foldin.js';
import { discoverySetting, quickCandidateKey, quickOptionsOf } from '../../src/recommend/rerank/steps.js';
import { createDiscovery, DISCOVERY_STEPS } from '../../src/services/discovery.js';
import { loadMovieLens, smallModel } from '../support/small-model.js';

test("a model's facts: the catalog's rating counts and genres per model row, built once per model", async () => {
  const { catalog } = await loadMovieLens();
  const prepared = prepareModel(await smallModel());
  const facts = createDiscovery(catalog, 'itemsim').factsOf(prepared);
  prepared.model.itemIds.forEach((id, row) => {
    assert.equal(facts.popularity[row], catalog.popularity(id));
    assert.equal(facts.genres.of[row].length, (catalog.get(id)?.genres ?? []).length, `genres of ${id}`);
  });
});

test("each step's scorer is its own setting's, named by its key; 'familiar' is the configured method", async () => {
  const { catalog } = await loadMovieLens();
  const prepared = prepareModel(await smallModel());
  for (const configured of ['itemsim', 'foldin'] as const) {
    const discovery = createDiscovery(catalog, configured);
    assert.equal(discovery.scorerFor('familiar').key, configured);
    assert.deepEqual(discovery.scorerFor('familiar').options(prepared), { method: configured });
    for (const step of DISCOVERY_STEPS.slice(1)) {
      const setting = discoverySetting(step);
      const choice = discovery.scorerFor(step);
      assert.equal(choice.key, quickCandidateKey(setting), step);
      const options = choice.options(prepared);
      assert.deepEqual({ ...options, itemPopularity: undefined }, { ...quickOptionsOf(setting), itemPopularity: undefined }, step);
      if (setting.pickPopularityExponent === undefined) {
        assert.equal(options.itemPopularity, undefined, step);
        continue;
      }
      // A pick weight reads ratings per row of the model: the catalog's, the re-ranker's facts, built once per model.
      const counts = options.itemPopularity!;
      assert.equal(counts.length, prepared.itemCount);
      prepared.model.itemIds.forEach((id, row) => assert.equal(counts[row], catalog.popularity(id)));
      assert.equal(counts, discovery.factsOf(prepared).popularity);
      assert.equal(choice.options(prepared).itemPopularity, counts);
    }
  }
});
