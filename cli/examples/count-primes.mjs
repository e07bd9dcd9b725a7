// A worker command for the sample program primes-on-workers, run by `conveyor worker` once per subjob:
// the subjob's input, {"from": A, "to": B}, arrives on standard input; the output, the same range with the number of
// primes in it, goes to standard output as JSON, the shape PrimesProgram's own worker answers with.
import { text } from 'node:stream/consumers';

const { from, to } = JSON.parse(await text(process.stdin));
const low = Math.max(2, from);
let count = 0;
if (to >= low) {
  // Sieve the small primes up to √to, then strike their multiples out of [low, to] only.
  const root = Math.floor(Math.sqrt(to));
  const small = new Uint8Array(root + 1);
  const composite = new Uint8Array(to - low + 1);
  for (let p = 2; p <= root; p++) {
    if (small[p]) continue;
    for (let m = p * p; m <= root; m += p) small[m] = 1;
    for (let m = Math.max(p * p, Math.ceil(low / p) * p); m <= to; m += p) composite[m - low] = 1;
  }
  count = composite.reduce((n, marked) => n + (marked ? 0 : 1), 0);
}
process.stdout.write(JSON.stringify({ from, to, count }));
