const query = /* GraphQL */ `
  query Commented($org: ID!) {
    smtpConfigurations(organizationId: $org) { nodes { id nope } }
  }
`;

export const send = (org) => fetch("/graphql", { method: "POST", body: query + org });
