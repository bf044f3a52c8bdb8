import { gql, useQuery } from "@apollo/client";

export function Senders({ org }: { org: string }) {
  const { data } = useQuery(
    gql`
      query Senders($org: ID!) {
        smtpConfigurations(organizationId: $org) {
          nodes {
            id
            host
            port
            username
            removedField
          }
        }
      }
    `,
    { variables: { org } },
  );
  return <ul>{data?.smtpConfigurations?.nodes.map((n: { id: string }) => <li key={n.id} />)}</ul>;
}
