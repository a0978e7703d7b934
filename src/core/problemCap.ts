// How many problems of one OWNERSHIP.yml the editor lists. A hostile or broken file can hold
// thousands (every glob of 5,000 features matching nothing, one error per feature): listing them
// all floods the Problems panel and costs the editor time for nothing a reader can use. The first
// ones are listed as they are; the rest are counted in one more problem, located at the first one
// left out. The CLI still prints every problem (`ownership validate`).
import type { Problem } from './types';

/** Problems of each severity listed per file. */
export const MAX_PROBLEMS_PER_FILE = 100;

/** `problems` with at most `max` errors and `max` warnings, each kind's rest counted in one problem more. */
export function capProblems(problems: readonly Problem[], max = MAX_PROBLEMS_PER_FILE): Problem[] {
  const errors = problems.filter((p) => p.severity !== 'warning');
  const warnings = problems.filter((p) => p.severity === 'warning');
  if (errors.length <= max && warnings.length <= max) return [...problems];
  return [...capped(errors, max), ...capped(warnings, max)];
}

function capped(list: readonly Problem[], max: number): Problem[] {
  const first = list[max];
  if (!first) return [...list];
  const rest = list.length - max;
  const allNoMatch = list.slice(max).every((p) => p.code === 'no-match');
  const message = allNoMatch
    ? `${rest} more glob${rest === 1 ? '' : 's'} in this file match${rest === 1 ? 'es' : ''} no tracked file (the first ${max} are listed): check the paths, or drop the globs`
    : `${rest} more ${first.severity === 'warning' ? 'warning' : 'problem'}${rest === 1 ? '' : 's'} in this file (the first ${max} are listed): run "ownership validate" to see them all`;
  return [...list.slice(0, max), { ...first, message, code: allNoMatch ? 'no-match-more' : 'more-problems' }];
}
