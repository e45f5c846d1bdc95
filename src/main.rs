fn main() {
    agent_token_playground::start();
}
