// The `qrcode` package ships no types; this is the one call the pay-link dialog makes.
declare module 'qrcode' {
  const QRCode: { toDataURL(text: string, opts?: { margin?: number; width?: number }): Promise<string> };
  export default QRCode;
}
