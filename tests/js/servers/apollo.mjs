// The guide's mutation on Apollo Server 5's standalone server, defaults as
// shipped (CSRF prevention, error formatting, body-parser's HTML 400s).
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { authenticate, listenOptions, resolvers, Senders, typeDefs } from "./domain.mjs";

const server = new ApolloServer({ typeDefs: typeDefs(), resolvers: resolvers(new Senders()) });
const { url } = await startStandaloneServer(server, {
  listen: listenOptions(),
  context: async ({ req }) => authenticate(req.headers.authorization),
});
console.log(`apollo ready at ${url}`);
