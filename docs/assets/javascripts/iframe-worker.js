// Search from the file system: a page opened from file:// may not start a Web Worker, so
// the theme's search worker runs in a hidden frame of the page instead. That worker only
// uses addEventListener("message"), postMessage and self, which the frame's window has.
// (Nothing is fetched from a network: the theme's own offline mode would load a shim
// from a CDN; naming this file iframe-worker keeps it from adding one.)
(() => {
  if (location.protocol !== "file:") return;

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.scope = null;
      this.waiting = [];
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      this.frame.setAttribute("aria-hidden", "true");
      this.frame.srcdoc = "<!doctype html><title>search</title>";
      this.frame.addEventListener("load", () => this.start(new URL(url, location.href).href), {
        once: true,
      });
      (document.body || document.documentElement).append(this.frame);
    }

    start(href) {
      const scope = this.frame.contentWindow;
      scope.postMessage = (data) => {
        const event = new MessageEvent("message", { data });
        this.dispatchEvent(event);
        if (typeof this.onmessage === "function") this.onmessage(event);
      };
      const script = scope.document.createElement("script");
      script.src = href;
      script.addEventListener("load", () => {
        this.scope = scope;
        for (const data of this.waiting.splice(0)) this.postMessage(data);
      });
      scope.document.head.append(script);
    }

    postMessage(data) {
      if (this.scope === null) this.waiting.push(data);
      else this.scope.dispatchEvent(new MessageEvent("message", { data }));
    }

    terminate() {
      this.frame.remove();
    }
  }

  window.Worker = FrameWorker;
})();
