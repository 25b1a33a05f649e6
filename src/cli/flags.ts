// Command-line parsing shared by every command: node's parseArgs with its errors turned into
// UsageError (exit 2 with a hint), and numeric flags checked against their range.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    // Node appends advice about "--" that does not fit our commands.
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''));
  }
}

export function numberFlag(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw new UsageError(`${flag} must be a number from ${min} to ${max}, got "${text}"`);
  return value;
}

export function integerFlag(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value)) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return numberFlag(text, flag, min, max);
}
