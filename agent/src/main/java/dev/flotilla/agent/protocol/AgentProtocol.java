package dev.flotilla.agent.protocol;

/**
 * The {@code flotilla-agent} subsystem protocol, version {@value #VERSION}: the client sends request
 * frames, the agent answers each with one response frame, in order (see {@link Frames}).
 *
 * <pre>
 * request:  {"v":1,"id":7,"op":"status"}
 *           {"v":1,"id":8,"op":"switch","toplevel":"/flotilla/store/…-flotilla-system-web-1","mode":"switch"}
 *           {"v":1,"id":9,"op":"rollback"}            {"v":1,"id":9,"op":"rollback","generation":3}
 *           {"v":1,"id":10,"op":"generations"}
 * response: {"v":1,"id":7,"ok":true,"result":{…}}
 *           {"v":1,"id":8,"ok":false,"error":{"code":"NOT_IN_STORE","message":"…"}}
 * </pre>
 * Error codes are {@link dev.flotilla.agent.AgentException.Kind} names, plus {@value #UNSUPPORTED_VERSION}.
 */
public final class AgentProtocol {
    public static final String SUBSYSTEM = "flotilla-agent";
    public static final int VERSION = 1;
    public static final String UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION";

    public static final String OP_STATUS = "status";
    public static final String OP_SWITCH = "switch";
    public static final String OP_ROLLBACK = "rollback";
    public static final String OP_GENERATIONS = "generations";

    private AgentProtocol() {
    }
}
