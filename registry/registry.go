// Package registry holds the society's domain operations: opening and
// migrating the store, the clock, the error kinds of the API boundary,
// and (as they come) the rules-checked writes, each one transaction.
package registry
