package lab.d2c.workers.stage1;

/** Small stage-one config sections for tests that run train-stage1 and decode-stage1. */
public final class Stage1Nodes {

    private Stage1Nodes() {
    }

    /** The {@code "stage1":{...}} member: width 32, depth 2, dropout 0.1 everywhere, 6 samples. */
    public static String section(long steps, long checkpointEvery, int heads) {
        return "\"stage1\":{\"seed\":9,\"width\":32,\"depth\":2,\"heads\":" + heads + ",\"class_tokens\":1,"
                + "\"ffn_multiple_of\":8,\"norm_eps\":1e-5,\"rope_base\":10000,\"token_dropout\":0.1,"
                + "\"resid_dropout\":0.1,\"ffn_dropout\":0.1,\"class_dropout\":0.1,"
                + "\"train\":{\"steps\":" + steps + ",\"batch_size\":16,\"lr\":0.003,\"warmup_steps\":2,\"lr_schedule\":\"constant\","
                + "\"weight_decay\":0.05,\"clip_norm\":1.0,\"ema_decay\":0.0,\"checkpoint_every\":" + checkpointEvery
                + ",\"log_every\":2},"
                + "\"sample\":{\"count\":6,\"batch_size\":4,\"temperature\":1.0,\"top_k\":0,\"top_p\":1.0,"
                + "\"guidance_scale\":2.0,\"guidance_tokens\":0}}";
    }
}
