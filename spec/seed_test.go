package spec

const seedFile = "../testdata/seed/clerk-organization-memberships.yaml"
