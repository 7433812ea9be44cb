// Refreshes the counts on the email page every few seconds while a batch is sending.
// Stops by itself when nothing is waiting; the page works without it (reload to update).
const root = document.getElementById("email-progress");

function setCount(key, value) {
  for (const el of document.querySelectorAll(`[data-count="${key}"]`)) {
    if (el.textContent !== String(value)) el.textContent = String(value);
  }
}

async function poll() {
  try {
    const response = await fetch(root.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    for (const [key, value] of Object.entries(data.overall)) setCount(`overall.${key}`, value);
    for (const [id, counts] of Object.entries(data.batches)) {
      for (const [key, value] of Object.entries(counts)) setCount(`batch.${id}.${key}`, value);
    }
    if (data.overall.queued > 0) setTimeout(poll, 3000);
  } catch (error) {
    setTimeout(poll, 10000);
  }
}

if (root && root.dataset.inProgress === "yes") setTimeout(poll, 3000);
