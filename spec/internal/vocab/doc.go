// Package vocab holds the loader's vocabulary that package spec and
// package spec/schema share: the accepted versions, the known fields of
// the objects of a document, and the did-you-mean suggestions made from
// them.
//
// It imports only the standard library.
package vocab
