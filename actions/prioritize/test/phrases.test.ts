import { describe, expect, it } from 'vitest';
import { saysPhrase } from '@userloop/core';
import { prioritizeConfig } from './helpers.ts';

const blocked = prioritizeConfig('').phrases.blocked;

describe('the blocked phrases match word forms', () => {
  it.each([
    'This is blocking our whole team.',
    'It blocks us from shipping.',
    'This blocked my release last night.',
    'Since 2.0 we are completely blocked.',
    "I'm blocked by this.",
    "We can't work until it is fixed.",
    "I'm stuck: nothing I try helps.",
    'We are stuck with no workaround',
    'Our blockers: this one.',
    'Ça bloque tout, c’est bloquant.',
  ])('says it: %s', (text) => {
    expect(saysPhrase(text, blocked)).toBe(true);
  });
  it.each([
    'This is not blocking us, just annoying.',
    "It doesn't block me.",
    "This isn't blocking our team.",
    "It won't block anyone, and we are not blocked.",
    'I am not stuck, I found a workaround.',
    '> This is blocking our whole team',
    'The `blocks us` phrase',
    'We unblocked our team with a workaround.',
    'A code block in the docs is wrong.',
    'The non-blocking reader stalls.',
  ])('does not say it: %s', (text) => {
    expect(saysPhrase(text, blocked)).toBe(false);
  });
  it('a `*` only stands for a word ending: `block* us` does not match "block-chain us" or "blockus"', () => {
    expect(saysPhrase('block-chain us', ['block* us'])).toBe(false);
    expect(saysPhrase('blockus', ['block* us'])).toBe(false);
    expect(saysPhrase('blockers us', ['block* us'])).toBe(true);
  });
});
