// Lines of code at most 120 characters (the project's standard). Biome's formatter wraps code at 120 but
// leaves long strings and comments alone, and Biome has no line-length rule: this check covers those.
// Prose (Markdown) and data (JSON, HTML fixtures) are not code and are left out.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 120;
const CODE = /\.(?:ts|tsx|mts|js|mjs|cjs|css|sh)$/;

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => CODE.test(file));

let long = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  text.split('\n').forEach((line, index) => {
    if ([...line].length <= MAX) return;
    long++;
    console.log(`${file}:${index + 1}: ${[...line].length} characters (at most ${MAX})`);
  });
}
if (long > 0) {
  console.log(`${long} line(s) longer than ${MAX} characters: split the string or comment.`);
  process.exit(1);
}
