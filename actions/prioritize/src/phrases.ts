// Phrase rules: "this blocks me" counts, "this does not block me" and a quoted "blocks me" do not. The
// matcher and its negation list live in core (ledger.ts), shared with the ledger's "me too" comments.
export { NEGATION_WORDS, saysPhrase } from '@userloop/core';
