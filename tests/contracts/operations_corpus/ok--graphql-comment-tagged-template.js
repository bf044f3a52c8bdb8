const query = /* GraphQL */ `
  query Commented($org: ID!) {
    smtpConfigurations(organizationId: $org) { nodes { id } }
  }
`;

export async function load(org) {
  return fetch("/graphql", {
    method: "POST",
    body: JSON.stringify({ query, variables: { org } }),
  });
}
