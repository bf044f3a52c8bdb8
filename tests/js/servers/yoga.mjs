// The guide's mutation on GraphQL Yoga 5, defaults as shipped (masked
// errors, GraphiQL on GET, its own JSON 400s).
import { createServer } from "node:http";
import { createSchema, createYoga } from "graphql-yoga";
import { authenticate, listenOptions, resolvers, Senders, typeDefs } from "./domain.mjs";

const yoga = createYoga({
  schema: createSchema({ typeDefs: typeDefs(), resolvers: resolvers(new Senders()) }),
  context: ({ request }) => authenticate(request.headers.get("authorization") ?? undefined),
});
const { host, port } = listenOptions();
createServer(yoga).listen(port, host, () => {
  console.log(`yoga ready at http://${host}:${port}${yoga.graphqlEndpoint}`);
});
