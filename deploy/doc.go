// Package deploy checks the Kubernetes manifests of deploy/kubernetes
// offline: every file strict-decodes into its k8s.io/api type (an unknown
// or misspelt field fails), and the pieces agree with each other, with the
// Dockerfile and with the capability the ConfigMap holds (ports, probe
// paths, secrets, user).
//
// It is a module of its own so that the naftiko module does not depend on
// the Kubernetes API types; .ci/run runs its tests. It imports the naftiko
// module (through a replace of ../) only to load the capability.
package deploy
