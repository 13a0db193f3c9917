#!/usr/bin/env bash
# Derives the small traces in config/traces/ from the public traces they come from (binned CSVs
# `t_seconds,requests[,prompt_tokens,generated_tokens]`; see config/traces/README.md).
# Usage: scripts/derive-traces.sh DIR   (DIR holds azure_llm_conv_2023.csv, azure_llm_code_2023.csv
#        and azure_functions_2019_invitro1350.csv)
set -euo pipefail
source_dir=${1:?usage: scripts/derive-traces.sh DIR}
out="$(dirname "$0")/../config/traces"
mkdir -p "$out"

llm_attribution() { # $1 = conv or code
    cat <<TEXT
# Derived from the Azure Public Dataset, data/AzureLLMInferenceTrace_$1.csv
# (github.com/Azure/AzurePublicDataset), licence CC-BY 4.0. Cite: Patel et al., "Splitwise:
# Efficient Generative LLM Inference Using Phase Splitting", ISCA 2024.
TEXT
}

functions_attribution() {
    cat <<'TEXT'
# Derived from a 1 350-function, one-day sample of the Azure Functions 2019 trace made by the
# vHive/invitro sampler (github.com/vhive-serverless/invitro, data/traces/1350_inv.csv, MIT);
# the underlying data is CC-BY 4.0. Cite: Shahrad et al., "Serverless in the Wild: Characterizing
# and Optimizing the Serverless Workload at a Large Cloud Provider", USENIX ATC 2020.
TEXT
}

# The first 15 minutes of an LLM trace, requests per arrival second (token columns dropped).
first_15min() { # $1 = conv or code
    {
        llm_attribution "$1"
        echo "# Requests per arrival second, the first 15 minutes (t_seconds < 900); token columns dropped."
        awk -F, 'NR == 1 { print "t_seconds,requests"; next } $1 < 900 { print $1 "," $2 }' \
            "$source_dir/azure_llm_${1}_2023.csv"
    } >"$out/azure_llm_${1}_2023_15min.csv"
}

first_15min conv
first_15min code

{
    functions_attribution
    echo "# Invocations per minute, summed over the functions; the whole day."
    awk -F, '{ print $1 "," $2 }' "$source_dir/azure_functions_2019_invitro1350.csv"
} >"$out/azure_functions_2019_invitro1350.csv"

# Per-server loads, as three replicas that each serve 4 requests/s at load 100 would report them
# when each second's requests are dealt round robin (the first extra request of second t going to
# replica t mod 3): load = 25 x requests that replica got in that second.
{
    llm_attribution conv
    echo "# Per-server loads of 3 replicas (4 requests/s each at load 100, requests dealt round robin),"
    echo "# the first 15 minutes."
    awk -F, 'NR == 1 { print "t_seconds,replica-1,replica-2,replica-3"; next }
        $1 < 900 {
            base = int($2 / 3); extra = $2 % 3
            for (i = 0; i < 3; i++) n[i] = base
            for (k = 0; k < extra; k++) n[($1 + k) % 3]++
            print $1 "," 25 * n[0] "," 25 * n[1] "," 25 * n[2]
        }' "$source_dir/azure_llm_conv_2023.csv"
} >"$out/azure_llm_conv_2023_15min_3servers.csv"
