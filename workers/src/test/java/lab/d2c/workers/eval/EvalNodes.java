package lab.d2c.workers.eval;

/** Small classifier and eval config sections for tests that run the scoring nodes. */
public final class EvalNodes {

    private EvalNodes() {
    }

    /** The {@code "classifier":{...}} member: widths 8/16, 16 features. */
    public static String classifier(long steps) {
        return "\"classifier\":{\"seed\":1,\"base_width\":8,\"width_multipliers\":\"1,2\",\"convs_per_level\":1,"
                + "\"feature_dim\":16,\"train\":{\"steps\":" + steps + ",\"batch_size\":16,\"lr\":0.003,"
                + "\"warmup_steps\":5,\"lr_schedule\":\"cosine\",\"weight_decay\":0.0,\"clip_norm\":1.0,\"ema_decay\":0.0,\"checkpoint_every\":"
                + steps + ",\"log_every\":5,\"eval_images\":32}}";
    }

    /** The {@code "eval":{...}} member: the classifier's features, the test split, k = 3, 2 IS splits. */
    public static String eval(String images) {
        return "\"eval\":{\"extractor\":\"classifier\",\"inception_file\":null,\"inception_key\":null,"
                + "\"inception_input_range\":\"-1..1\",\"reference_split\":\"test\",\"reference_images\":0,"
                + "\"images\":\"" + images + "\",\"is_splits\":2,\"pr_k\":3,\"bootstrap\":50,\"batch_size\":20}";
    }
}
