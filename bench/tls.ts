// Certificate generation: the SENEC emulator (HTTPS firmware), the recorder and replay each make a CA and a
// leaf at start, so this is start-up time. Side by side: EC P-256 (the default) and RSA 2048.
// Target: EC material in well under 100 ms (median), so an HTTPS emulator starts as fast as a plain one.
import { generateTlsMaterial } from '../emulators/core/tls/certificates.js';
import { fmt, median } from './lib.js';

const TARGET_MS = 100;

function timeGeneration(keyType: 'ec' | 'rsa', runs: number): number {
  generateTlsMaterial({ commonName: 'warm-up', keyType });
  const times = Array.from({ length: runs }, () => {
    const started = performance.now();
    generateTlsMaterial({ commonName: 'senec.emulator', keyType });
    return performance.now() - started;
  });
  return median(times);
}

export function runTlsBench({ rounds }: { rounds: number }): boolean {
  const runs = Math.max(5, rounds * 5);
  const ec = timeGeneration('ec', runs);
  const rsa = timeGeneration('rsa', runs);
  console.log(`TLS material (CA + leaf), median of ${runs}`);
  console.log(`  EC P-256:  ${fmt(ec, 1)} ms   (target < ${TARGET_MS} ms)`);
  console.log(`  RSA 2048:  ${fmt(rsa, 1)} ms   EC/RSA ${fmt(ec / rsa, 3)}`);
  return ec < TARGET_MS;
}
