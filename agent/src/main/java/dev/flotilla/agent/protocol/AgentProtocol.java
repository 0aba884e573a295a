package dev.flotilla.agent.protocol;

/**
 * The {@code flotilla-agent} subsystem protocol, version {@value #VERSION}: the client sends request
 * frames, the agent answers each with one response frame, in order (see {@link Frames}).
 *
 * <pre>
 * request:  {"v":1,"id":7,"op":"status"}
 *           {"v":1,"id":8,"op":"switch","toplevel":"/flotilla/store/…-flotilla-system-web-1","mode":"switch",
 *                  "confirmTimeoutSeconds":30, "deploymentId":"d-42", "secrets":{"db-password":"&lt;base64&gt;"}}
 *           {"v":1,"id":9,"op":"confirm","token":"…"}      (over a new connection)
 *           {"v":1,"id":9,"op":"rollback"}            {"v":1,"id":9,"op":"rollback","generation":3}
 *           {"v":1,"id":10,"op":"generations"}        {"v":1,"id":10,"op":"generations","sizes":true}
 *           {"v":1,"id":11,"op":"drift"}
 *           {"v":1,"id":13,"op":"check"}              (the active system's health checks, now; changes nothing)
 *           {"v":1,"id":12,"op":"delete-generations","keep":5,"olderThanSeconds":2592000,"gc":true}
 * response: {"v":1,"id":7,"ok":true,"result":{…}}
 *           {"v":1,"id":8,"ok":false,"error":{"code":"NOT_IN_STORE","message":"…"}}
 * </pre>
 * Error codes are {@link dev.flotilla.agent.AgentException.Kind} names, plus {@value #UNSUPPORTED_VERSION}.
 * {@code confirmTimeoutSeconds} defaults to 30; 0 means no magic rollback.
 */
public final class AgentProtocol {
    public static final String SUBSYSTEM = "flotilla-agent";
    public static final int VERSION = 1;
    public static final String UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION";

    public static final String OP_STATUS = "status";
    public static final String OP_SWITCH = "switch";
    public static final String OP_CONFIRM = "confirm";
    public static final String OP_ROLLBACK = "rollback";
    public static final String OP_GENERATIONS = "generations";
    public static final String OP_DRIFT = "drift";
    public static final String OP_DELETE_GENERATIONS = "delete-generations";
    public static final String OP_CHECK = "check";

    private AgentProtocol() {
    }
}
