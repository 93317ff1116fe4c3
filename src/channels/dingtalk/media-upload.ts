// DingTalk media upload (the oapi): POST {oapiBase}/media/upload?access_token=…&type=image, multipart with the file
// in the "media" field → { errcode: 0, type: "image", media_id: "@lA…", created_at }. The media_id goes into a
// robot image message as its photoURL. The access token is the app's (the same one the robot APIs use).
import { fetchJson } from "../../core/access-token.ts";

/** The media_id, or an Error saying why not (never throws: a picture that cannot go is dropped, not retried). */
export async function uploadDingtalkImage(oapiBase: string, accessToken: string, png: Uint8Array, filename: string, timeoutMs = 20_000): Promise<string | Error> {
  const form = new FormData();
  form.append("media", new Blob([png], { type: "image/png" }), filename);
  try {
    const res = await fetchJson(`${oapiBase}/media/upload?access_token=${encodeURIComponent(accessToken)}&type=image`, {
      method: "POST",
      form,
      what: "DingTalk /media/upload",
      timeoutMs,
    });
    const j = (res.json ?? {}) as { errcode?: unknown; errmsg?: unknown; media_id?: unknown };
    if (res.status === 200 && (j.errcode === 0 || j.errcode === undefined) && typeof j.media_id === "string" && j.media_id) return j.media_id;
    return new Error(`DingTalk media/upload: HTTP ${res.status}, errcode ${String(j.errcode)} (${String(j.errmsg ?? res.raw ?? "").slice(0, 120)})`);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
