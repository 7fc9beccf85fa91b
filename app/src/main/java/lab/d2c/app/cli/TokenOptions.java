package lab.d2c.app.cli;

import lab.d2c.api.http.ApiToken;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The bearer token a mutating command sends, found as {@code sweep run} always found it: {@code --token},
 * else {@code D2C_API_TOKEN}, else the {@code api-token} file of the data dir. None found means none sent:
 * the server's 401 then says where the token is, which is clearer than guessing here.
 */
final class TokenOptions {

    @Option(names = "--token", description = "The API's bearer token (default $D2C_API_TOKEN, or the api-token"
            + " file of the data dir).")
    String token;

    @Mixin
    ConfigOptions config;

    /** The token, or null when there is none. */
    String token() {
        return token != null ? token : ApiToken.forClient(config.load()).orElse(null);
    }
}
