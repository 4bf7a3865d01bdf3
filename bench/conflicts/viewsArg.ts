// The benches' --views flag: which dictionary latents the views compare (conflicts/fit/fitDetector.ts,
// DICTIONARY_VIEW_LATENTS), `detect`'s default 'read-alike' when absent, and the views' report name.
import { DICTIONARY_VIEW_LATENTS, type DictionaryViewLatents } from '../../conflicts/index.js';

export function dictionaryViewsArg(value: string | undefined): { views: DictionaryViewLatents; name: string } {
  const views = (value ?? 'read-alike') as DictionaryViewLatents;
  if (!DICTIONARY_VIEW_LATENTS.includes(views)) throw new Error(`--views must be one of ${DICTIONARY_VIEW_LATENTS.join(', ')}`);
  return { views, name: `dictionary-${views}` };
}
