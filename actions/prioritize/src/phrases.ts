// Phrase rules: "this blocks me" counts, "this does not block me" and a quoted "blocks me" do not. A `*` after a
// word matches its forms, so the default `block* our` covers "is blocking our whole team", "blocked our
// release" and "blocks our CI". The matcher and its negation list live in core (ledger.ts), shared with the
// ledger's "me too" comments.
export { NEGATION_WORDS, saysPhrase } from '@userloop/core';
