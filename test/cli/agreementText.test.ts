// train's witness line on seed agreement (cli/agreementText.ts): figures when there is something to
// compare, words instead of "NaN%" when there is not (seen on a 16-node network at the auto size).
import { describe, expect, it } from 'vitest';
import { agreementText } from '../../cli/agreementText.js';

describe('agreementText', () => {
  it('gives the share over the reproduced latents and over all matched ones', () => {
    expect(agreementText({ matched: 12, agree: 11, fraction: 11 / 12, allMatched: { matched: 16, agree: 14, fraction: 14 / 16 } })).toBe(
      'classes agree on 92% of 12 reproduced (88% of all 16 matched)',
    );
    expect(agreementText({ matched: 4, agree: 4, fraction: 1 })).toBe('classes agree on 100% of 4 reproduced');
  });

  it('says there is nothing to compare instead of printing NaN', () => {
    const none = agreementText({ matched: 0, agree: 0, fraction: NaN, allMatched: { matched: 1, agree: 0, fraction: 0 } });
    expect(none).toBe('classes: no reproduced latent to compare (0% of all 1 matched)');
    expect(agreementText({ matched: 0, agree: 0, fraction: NaN, allMatched: { matched: 0, agree: 0, fraction: NaN } })).toBe(
      'classes: no reproduced latent to compare (none matched at all)',
    );
    expect(none).not.toMatch(/NaN/);
  });
});
