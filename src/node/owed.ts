// The owed pieces of a repository's current branch, for the editor: the report over the last
// `maxCount` first-parent changes of HEAD, read by one streaming `git log` and judged a few
// changes at a time with a yield between, so the extension host never stalls on a long history.
import type { Model } from '../core/model';
import { ReportBuilder, type Report } from '../core/report';
import { yieldToEventLoop } from './chunked';
import type { Git } from './git';
import { readHistory } from './history';
import { HistoryCache } from './historyCache';

/** Changes judged between two yields: well under a millisecond each on ordinary changes. */
const OWED_STEP = 20;

/** The report at HEAD over its last `maxCount` changes; an empty one before the first commit or with `maxCount` 0. */
export async function owedReport(git: Git, model: Model, maxCount: number, step = OWED_STEP): Promise<Report & { steps: number }> {
  // The history cache (historyCache.ts): when HEAD moves by a commit, git's log reads that commit only.
  const cache = new HistoryCache(git.gitDir);
  const history = maxCount > 0 && (await git.hasHead()) ? await readHistory(git, { head: 'HEAD', maxCount }, undefined, cache) : { head: '', chain: [], brought: [] };
  await cache.save();
  const builder = new ReportBuilder(model, history.chain, history.brought);
  let steps = 1;
  while (builder.step(step)) {
    steps++;
    await yieldToEventLoop();
  }
  return { ...builder.finish(history.head), steps };
}
