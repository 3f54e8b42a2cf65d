import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { packagedTargetProblem } from '../../src/cli/packagedTarget';
import { makeTempDir } from '../helpers/testEnvironment';

describe('packagedTargetProblem (the CLI package carries one platform\'s native runtimes)', () => {
  const temp = makeTempDir();
  after(temp.cleanup);

  it('says nothing for a source checkout (no target file) or the platform packed for', () => {
    assert.equal(packagedTargetProblem(temp.dir, 'linux-x64'), undefined);
    writeFileSync(path.join(temp.dir, 'native-target.json'), '{"target":"linux-x64"}');
    assert.equal(packagedTargetProblem(temp.dir, 'linux-x64'), undefined);
  });

  it('names both platforms and what to do on another one, in one line', () => {
    writeFileSync(path.join(temp.dir, 'native-target.json'), '{"target":"linux-x64"}');
    const problem = packagedTargetProblem(temp.dir, 'darwin-arm64') ?? '';
    assert.match(problem, /packed for linux-x64 and cannot run on darwin-arm64/);
    assert.match(problem, /npm pack/);
    assert.doesNotMatch(problem, /\n/);
  });

  it('reports a damaged target file', () => {
    writeFileSync(path.join(temp.dir, 'native-target.json'), '{not json');
    assert.match(packagedTargetProblem(temp.dir, 'linux-x64') ?? '', /damaged: install the package again/);
  });
});
