import { graphql } from "gql.tada";

export const FIELDS = graphql(`
  fragment TadaFields on SmtpConfiguration { id host }
`);

export const SENDERS = graphql(
  `
    query TadaSenders($org: ID!) {
      smtpConfigurations(organizationId: $org) { nodes { ...TadaFields } }
    }
  `,
  [FIELDS],
);
