// Preloaded (NODE_OPTIONS=--import) into the server processes a test starts: every outgoing
// request (Shopify's token exchange, Admin API) fails at once, as it would with Shopify out of
// reach, instead of waiting on the network. The server's own sockets are untouched.
import { MockAgent, setGlobalDispatcher } from "undici";

const agent = new MockAgent();
agent.disableNetConnect();
setGlobalDispatcher(agent);
