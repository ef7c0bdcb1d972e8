package contract

// FromCassette lets the external tests convert go-vcr interactions.
var FromCassette = fromCassette
