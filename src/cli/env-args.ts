import { UsageError } from './usage-error.js';

/** Every `VOLTBENCH_<FLAG>` variable stands for the `up` flag `--<flag>` (lower case, `_` → `-`). */
export const ENV_PREFIX = 'VOLTBENCH_';

/** `up` flags that take no value: their variables read as yes/no instead of being passed on. */
export const BOOLEAN_UP_FLAGS: ReadonlySet<string> = new Set(['json', 'pvs-latency', 'growatt-no-rate-limit']);

const YES = new Set(['1', 'true', 'yes', 'on']);
const NO = new Set(['0', 'false', 'no', 'off']);

/**
 * Turns `VOLTBENCH_*` variables into `up` flags, e.g. `VOLTBENCH_SEED=7` → `--seed 7` and
 * `VOLTBENCH_PVS_LATENCY=true` → `--pvs-latency`. Containers are configured this way (compose files,
 * testcontainers). Put the result *before* the command-line arguments: the last occurrence of a
 * flag wins, so an explicit argument overrides the environment. Empty values count as unset, so a
 * compose file can pass `${VOLTBENCH_SCENARIO:-}` through untouched.
 */
export function upArgsFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  const args: string[] = [];
  // Sorted so the same environment always gives the same command line.
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(ENV_PREFIX) || name.length === ENV_PREFIX.length) continue;
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    const flag = name.slice(ENV_PREFIX.length).toLowerCase().replaceAll('_', '-');
    if (BOOLEAN_UP_FLAGS.has(flag)) {
      const word = value.trim().toLowerCase();
      if (YES.has(word)) args.push(`--${flag}`);
      else if (!NO.has(word)) throw new UsageError(`${name} must be true or false, got "${value}"`);
    } else {
      args.push(`--${flag}`, value);
    }
  }
  return args;
}
